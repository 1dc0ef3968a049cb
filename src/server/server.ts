import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from './config.js';
import { CoarseClock } from './clock.js';
import { Connection } from './connection.js';
import { Deadline } from './deadlines.js';
import type { ConnectionContext } from './context.js';
import type { Handler } from './handler.js';
import { httpDate } from './http-date.js';
import { tls } from './node-tls.js';
import { serializeErrorResponse } from '../protocol/index.js';
import { UpgradedSockets, UpgradeRequest, type UpgradeListener } from './upgrade.js';

/** How long a refused (503) connection may stay open while the client reads the answer. */
const SHED_LINGER_MS = 2_000;

export interface ListenOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  /**
   * Address to bind. "localhost" (the default) binds both 127.0.0.1 and ::1 on the same
   * port, so the server is reachable as localhost over IPv4 and IPv6 but not from other hosts.
   */
  host?: string;
  /** Serve HTTPS with this certificate chain and private key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface ListeningAddress {
  host: string;
  port: number;
}

/** The events a server emits. */
interface ServerEvents {
  /** A request asks to switch protocols; see UpgradeListener. */
  upgrade: Parameters<UpgradeListener>;
}

/**
 * Accepts connections on one or more listeners and runs them through `Connection`. Emits
 * 'upgrade' as node:http does (see UpgradeListener).
 */
export class HttpServer extends EventEmitter<ServerEvents> {
  /** The options in effect: those given over DEFAULT_SERVER_OPTIONS. */
  readonly options: ServerOptions;
  private readonly netServers: net.Server[] = [];
  private readonly connections = new Set<Connection>();
  private readonly upgraded = new UpgradedSockets();
  private sweeper: NodeJS.Timeout | null = null;
  private closing = false;
  private readonly clock: CoarseClock;
  private readonly context: ConnectionContext<Connection>;

  constructor(
    handler: Handler,
    options: Partial<ServerOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULT_SERVER_OPTIONS, ...options };
    const { headersTimeoutMs, keepAliveTimeoutMs, bodyTimeoutMs, sendTimeoutMs } = this.options;
    // Sweep often enough that no timeout overshoots by more than about half.
    const shortest = Math.min(headersTimeoutMs, keepAliveTimeoutMs, bodyTimeoutMs, sendTimeoutMs);
    const every = Math.min(1000, Math.max(10, shortest / 4));
    this.clock = new CoarseClock(every);
    this.context = {
      options: this.options,
      handler,
      clock: this.clock,
      spareParsers: [],
      closed: (connection) => this.connections.delete(connection),
      upgradeWanted: () => this.listenerCount('upgrade') > 0,
      upgrade: (socket, head, rest) => {
        this.upgraded.add(socket);
        this.emit('upgrade', new UpgradeRequest(head, socket), socket, rest);
      },
    };
  }

  /** Number of open connections, upgraded ones included (those closed are noticed within a sweep). */
  get connectionCount(): number {
    return this.connections.size + this.upgraded.count;
  }

  /** Starts listening; resolves with the bound addresses. */
  async listen(options: ListenOptions = {}): Promise<ListeningAddress[]> {
    const host = options.host ?? 'localhost';
    let port = options.port ?? 4221;
    const tlsOptions = options.tls;
    if (host === 'localhost') {
      const first = await this.bind(port, '127.0.0.1', tlsOptions);
      port = first.port;
      try {
        await this.bind(port, '::1', tlsOptions);
      } catch (error) {
        // A machine without IPv6 loopback still serves IPv4; any other failure is real.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') {
          await this.close();
          throw error;
        }
      }
    } else {
      await this.bind(port, host, tlsOptions);
    }
    this.startSweeper();
    return this.addresses();
  }

  addresses(): ListeningAddress[] {
    return this.netServers.map((listener) => {
      const address = listener.address() as net.AddressInfo;
      return { host: address.address, port: address.port };
    });
  }

  private bind(port: number, host: string, tlsOptions: ListenOptions['tls']): Promise<ListeningAddress> {
    const onSocket = (socket: net.Socket): void => {
      this.accept(socket);
    };
    // A TLS handshake is part of receiving the request head: same deadline (Node's default is 120 s).
    const listener =
      tlsOptions === undefined
        ? net.createServer({ allowHalfOpen: true, noDelay: true }, onSocket)
        : tls.createServer({ ...tlsOptions, allowHalfOpen: true, handshakeTimeout: this.options.headersTimeoutMs }, onSocket);
    // Failed handshakes are the client's problem; they must not reach the process.
    listener.on('tlsClientError', (_error: Error, socket: TLSSocket) => socket.destroy());
    return this.listenOn(listener, port, host);
  }

  /** Listens with an already-built net or tls server whose connections come to `accept`. */
  private listenOn(listener: net.Server, port: number, host: string): Promise<ListeningAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(error);
      };
      listener.once('error', onError);
      listener.listen({ port, host, ipv6Only: host === '::1' }, () => {
        listener.off('error', onError);
        this.netServers.push(listener);
        const address = listener.address() as net.AddressInfo;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Takes over an accepted socket (plain TCP or TLS). */
  private accept(socket: net.Socket | TLSSocket): void {
    if (this.closing || this.connectionCount >= this.options.maxConnections) {
      socket.on('error', () => socket.destroy());
      // Read and drop what the client sends so its close is seen and the descriptor freed.
      socket.on('end', () => socket.destroy());
      socket.resume();
      socket.end(serializeErrorResponse(503, 'Server busy', httpDate()));
      setTimeout(() => socket.destroy(), SHED_LINGER_MS).unref();
      return;
    }
    const connection = new Connection(socket, this.context);
    this.connections.add(connection);
  }

  private startSweeper(): void {
    if (this.sweeper !== null) return;
    this.sweeper = setInterval(() => {
      this.sweep();
    }, this.clock.resolutionMs);
    this.sweeper.unref();
  }

  /** One timer for all connections instead of one per connection per request. */
  private sweep(): void {
    const now = this.clock.tick();
    this.upgraded.prune();
    for (const connection of this.connections) {
      if (connection.deadline !== Deadline.None && connection.deadlineAt <= now) connection.expire();
    }
  }

  /**
   * Stops accepting, lets in-flight exchanges finish (their responses say `Connection:
   * close`), keeps idle connections until their keep-alive deadline (a request a proxy already
   * sent on one is answered, with `Connection: close`), and destroys whatever is left after
   * `graceMs`.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    const closed = Promise.all(
      this.netServers.map((listener) => new Promise<void>((resolve) => listener.close(() => resolve()))),
    );
    this.netServers.length = 0;
    for (const connection of this.connections) connection.shutDown();
    const deadline = Date.now() + graceMs;
    for (;;) {
      this.upgraded.prune();
      if (this.connectionCount === 0 || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const connection of this.connections) connection.destroy();
    this.upgraded.destroyAll();
    await closed;
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
  }
}
