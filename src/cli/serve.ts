// Builds the HTTP server the command runs: app routes, /healthz, limits, access log, TLS.
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createApp, tusAnswers } from '../app/index.js';
import {
  basicAuth,
  cors,
  createServer,
  hostGuard,
  originGuard,
  Router,
  sendText,
  type Handler,
  type HttpServer,
  type ListeningAddress,
  type ResponseRecord,
} from '../index.js';
import { accessPlan } from './access.js';
import { proxiedClientAddress } from './client-address.js';
import { tls } from '../server/node-tls.js';
import { CliError, EXIT_FAILURE } from './errors.js';
import { filesAccess } from './files-access.js';
import type { CliOptions } from './options.js';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** Reads the certificate and key and checks that they load and belong together. */
export async function loadTls(options: CliOptions): Promise<TlsFiles | undefined> {
  if (options.tlsCert === undefined || options.tlsKey === undefined) return undefined;
  const read = async (file: string, flag: string): Promise<Buffer> => {
    try {
      return await readFile(file);
    } catch (error) {
      throw new CliError(`${flag}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, EXIT_FAILURE);
    }
  };
  const files = { cert: await read(options.tlsCert, '--tls-cert'), key: await read(options.tlsKey, '--tls-key') };
  try {
    tls.createSecureContext(files);
  } catch (error) {
    throw new CliError(`--tls-cert/--tls-key: unusable certificate or key: ${(error as Error).message}`, EXIT_FAILURE);
  }
  return files;
}

/** Fails unless `directory` is an existing, readable directory; returns its absolute path. */
export async function checkDirectory(directory: string): Promise<string> {
  const info = await stat(directory).catch(() => null);
  if (info === null || !info.isDirectory()) throw new CliError(`--directory: not a directory: ${directory}`, EXIT_FAILURE);
  try {
    await access(directory, constants.R_OK | constants.X_OK);
  } catch {
    throw new CliError(`--directory: cannot read ${directory}`, EXIT_FAILURE);
  }
  return path.resolve(directory);
}

/** What `GET /healthz` reports; false once shutdown has begun, so balancers stop routing here. */
export interface Readiness {
  ready: boolean;
}

/**
 * The app's routes behind the access checks, outermost first: Host (DNS rebinding), CORS
 * (preflights carry no credentials), cross-site writes, logins, per-path rules. `GET /healthz`,
 * which load balancers poll, stays in front of them all.
 */
async function buildHandler(options: CliOptions, readiness: Readiness): Promise<Handler> {
  const plan = accessPlan(options);
  const auth = basicAuth({
    rules: plan.rules,
    paths: 'handler',
    clientAddress: options.trustProxy ? (req) => proxiedClientAddress(req, req.remoteAddress) : undefined,
  });
  const app = await createApp({
    directory: options.directory,
    hidden: options.hidden,
    maxPathDepth: options.maxPathDepth,
    index: options.index,
    spa: options.spa,
    maxUploadBytes: options.maxBodySize,
    access: auth,
  });
  // When nobody can log in and everyone may write everywhere, the per-path check allows every
  // request, so it is left out (it decodes and splits each /files/ path: about 15 % of a cached
  // file's request in a profile; GET /files/4k.bin from the cache, fake socket: about 28,100 ->
  // 21,600 instructions per request, medians of 2 and 3 callgrind runs).
  const everyoneWrites = plan.rules.logins.size === 0 && plan.rules.treeAccessAt(null, []) === 'write';
  let handler: Handler = everyoneWrites ? app.handle : filesAccess(auth)(app.handle);
  // Without logins the middleware passes every request on unchanged (nobody can log in, and
  // paths are filesAccess's to check), so it is left out of the request's path.
  if (plan.rules.logins.size > 0) handler = auth(handler);
  handler = originGuard({
    allow: options.corsWrite ? options.cors : [],
    // Behind a proxy the scheme clients use is not ours to know.
    scheme: options.trustProxy ? undefined : options.tlsCert !== undefined ? 'https' : 'http',
  })(handler);
  if (options.cors.length > 0) handler = cors({ origins: options.cors, write: options.corsWrite })(handler);
  if (options.allowedHosts !== undefined) handler = hostGuard({ allow: options.allowedHosts })(handler);
  else if (plan.loopback) handler = hostGuard()(handler);
  // Outermost, so a tus request refused by any of the above still says it speaks tus.
  handler = tusAnswers(handler);
  const health = new Router().get(HEALTH_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (readiness.ready) sendText(res, 200, 'ok\n');
    else sendText(res, 503, 'shutting down\n');
  });
  // One comparison instead of a second router in front of the app's. With the login
  // middleware left out: 8729 -> 8112 instructions per pipelined CLI echo request
  // (bench/instructions.mjs).
  const guarded = handler;
  return (req, res) => (req.path === HEALTH_PATH ? health.handle(req, res) : guarded(req, res));
}

const HEALTH_PATH = '/healthz';

/** Creates the server and starts listening; listening failures become one-line CliErrors. */
export async function startServer(
  options: CliOptions,
  tls: TlsFiles | undefined,
  onResponse: ((record: ResponseRecord) => void) | null,
): Promise<{ server: HttpServer; addresses: ListeningAddress[]; readiness: Readiness }> {
  const readiness: Readiness = { ready: true };
  const handler = await buildHandler(options, readiness);
  const server = createServer(handler, {
    maxBodyBytes: options.maxBodySize,
    keepAliveTimeoutMs: options.keepAliveTimeout,
    headersTimeoutMs: options.headersTimeout,
    bodyTimeoutMs: options.bodyTimeout,
    sendTimeoutMs: options.sendTimeout,
    maxConnections: options.maxConnections,
    onResponse,
  });
  try {
    const addresses = await server.listen({ port: options.port, host: options.host, tls });
    return { server, addresses, readiness };
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, options);
  }
}

function listenError(error: NodeJS.ErrnoException, options: CliOptions): CliError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new CliError(`--port: port ${options.port} is already in use`, EXIT_FAILURE);
    case 'EACCES':
      return new CliError(`--port: no permission to listen on port ${options.port}`, EXIT_FAILURE);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CliError(`--host: cannot listen on ${options.host}`, EXIT_FAILURE);
    default:
      return new CliError(`cannot listen: ${error.message}`, EXIT_FAILURE);
  }
}

/** The start-up line; tools and tests read "listening on HOST:PORT" from it. */
export function startupLine(addresses: ListeningAddress[], options: CliOptions): string {
  const where = addresses.map((a) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`));
  const scheme = options.tlsCert !== undefined ? 'https' : 'http';
  const serving = options.directory !== undefined ? `serving ${options.directory}` : 'no --directory, /files/ answers 404';
  const workers = options.workers > 1 ? `, ${options.workers} workers` : '';
  const plan = accessPlan(options);
  const mode = options.directory === undefined ? '' : `, ${plan.mode}${plan.rules.logins.size > 0 ? ` (${plan.rules.logins.size} logins by --auth rules)` : ''}`;
  const warnings = plan.warnings.map((warning) => `wirehttp: warning: ${warning}\n`).join('');
  return `wirehttp listening on ${where.join(' and ')} (${scheme}), ${serving}${mode}${workers}\n${openLine(addresses, options, scheme)}${warnings}`;
}

/** "open http://localhost:4221/files/": the address to paste into a browser, on its own line. */
function openLine(addresses: ListeningAddress[], options: CliOptions, scheme: string): string {
  const first = addresses[0];
  if (first === undefined) return '';
  const wildcard = options.host === 'localhost' || options.host === '0.0.0.0' || options.host === '::';
  const host = wildcard ? 'localhost' : first.host.includes(':') ? `[${first.host}]` : first.host;
  const where = options.directory !== undefined ? '/files/' : '/';
  return `open ${scheme}://${host}:${first.port}${where}\n`;
}
