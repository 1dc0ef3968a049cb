import type { ServerOptions } from '../../server/config.js';
import type { Handler } from '../../server/handler.js';
import type { Request as WireRequest } from '../../server/request.js';
import { HttpServer, type ListeningAddress, type ListenOptions } from '../../server/server.js';
import { LightRequest } from './light-request.js';
import { installLightResponse, NativeResponse } from './light-response.js';
import { sendResponse } from './send-response.js';

/** What a fetch handler learns about the connection besides the request (Hono: `c.env`). */
export interface ServeInfo {
  /** Address of the peer (the TCP client, not a client behind a proxy). */
  readonly remoteAddress: string;
  readonly httpVersion: '1.1' | '1.0';
}

/** A WHATWG fetch handler, as Hono's `app.fetch`, Bun.serve or Deno.serve take. */
export type FetchHandler = (request: globalThis.Request, info: ServeInfo) => globalThis.Response | Promise<globalThis.Response>;

export interface ServeOptions extends Partial<ServerOptions> {
  fetch: FetchHandler;
  /** TCP port; 0 picks a free one. Default 3000, as @hono/node-server. */
  port?: number;
  /** Address to bind; default "localhost" (127.0.0.1 and ::1). */
  hostname?: string;
  /** Serve HTTPS with this certificate chain and private key (PEM). */
  tls?: ListenOptions['tls'];
  /**
   * Replace the global `Response` with a lighter one that `serve()` writes without reading a
   * stream (what @hono/node-server does by default). Off by default: it changes a global for
   * the whole process. See the README, "Run a Hono app".
   */
  overrideGlobalObjects?: boolean;
}

/**
 * Starts a server that answers every request with `options.fetch`, the shape of
 * @hono/node-server's `serve`. Returns at once; `onListening` gets the first bound address.
 * A failure to listen (port in use...) is thrown asynchronously, as an unhandled 'error'
 * event on a node:http server would be.
 */
export function serve(options: ServeOptions, onListening?: (address: ListeningAddress) => void): HttpServer {
  const { fetch, port = 3000, hostname = 'localhost', tls, overrideGlobalObjects = false, ...serverOptions } = options;
  if (overrideGlobalObjects) installLightResponse();
  const server = new HttpServer(fetchHandler(fetch, tls === undefined ? 'http' : 'https'), serverOptions);
  server.listen({ port, host: hostname, tls }).then(
    (addresses) => {
      const [first] = addresses;
      if (onListening !== undefined && first !== undefined) onListening(first);
    },
    (error: unknown) => {
      process.nextTick(() => {
        throw error;
      });
    },
  );
  return server;
}

/**
 * Adapts a fetch handler to a wirehttp handler. A thrown error or rejected promise answers
 * 500 and reaches `onError`; so does a value that is not a Response, with a message that says so.
 */
export function fetchHandler(fetch: FetchHandler, scheme: 'http' | 'https'): Handler {
  return (req, res) => {
    const request = new LightRequest(req, absoluteUrl(req, scheme));
    const result = fetch(request as unknown as globalThis.Request, req);
    const isHead = req.method === 'HEAD';
    if (result instanceof NativeResponse) return sendResponse(result, res, isHead);
    return Promise.resolve(result).then((response: unknown) => {
      if (!(response instanceof NativeResponse)) throw new TypeError(`The fetch handler returned ${describe(response)} instead of a Response`);
      return sendResponse(response, res, isHead);
    });
  };
}

/** The request's absolute URL: scheme from the listener, authority from Host (the parser has checked it). */
function absoluteUrl(req: WireRequest, scheme: 'http' | 'https'): string {
  const target = req.target;
  if (target.charCodeAt(0) !== 0x2f) {
    // absolute-form ("http://host/path") names its own authority; "*" gets the root.
    if (target !== '*') return target;
    return `${scheme}://${req.header('host') ?? 'localhost'}/`;
  }
  return `${scheme}://${req.header('host') ?? 'localhost'}${target}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `a ${typeof value}`;
}
