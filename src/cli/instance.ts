// One serving process: the only process without --workers, or one cluster worker.
import { discardUploadsInFlight } from '../app/index.js';
import type { HttpServer, ListeningAddress } from '../index.js';
import { accessLogger } from './access-log.js';
import { LineBuffer } from './line-buffer.js';
import type { CliOptions } from './options.js';
import { startServer, type Readiness, type TlsFiles } from './serve.js';

export interface InstanceOutput {
  /** Writes a batch of access-log lines. */
  writeLog(text: string): void;
  /** Ends the process once everything written has left it. */
  exit(code: number): void;
}

/** A running server with its access log, stopped gracefully or at once. */
export class Instance {
  private stopping = false;

  private constructor(
    private readonly server: HttpServer,
    private readonly log: LineBuffer | null,
    private readonly output: InstanceOutput,
    private readonly readiness: Readiness,
    private readonly options: CliOptions,
    readonly addresses: ListeningAddress[],
  ) {}

  static async start(options: CliOptions, tls: TlsFiles | undefined, output: InstanceOutput): Promise<Instance> {
    const log = options.quiet ? null : new LineBuffer((text) => output.writeLog(text));
    const onResponse = log === null ? null : accessLogger(options.logFormat, options.trustProxy, (line) => log.push(line));
    const { server, addresses, readiness } = await startServer(options, tls, onResponse);
    return new Instance(server, log, output, readiness, options, addresses);
  }

  /**
   * Fails /healthz for the shutdown delay while still serving (a balancer polling it stops
   * routing here before the port closes), then stops accepting, lets requests in flight
   * finish within the shutdown timeout, and exits 0.
   */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.readiness.ready = false;
    const close = (): void => void this.server.close(this.options.shutdownTimeout).then(() => this.stopNow(0));
    if (this.options.shutdownDelay > 0) setTimeout(close, this.options.shutdownDelay);
    else close();
  }

  /** Exits with `code` without waiting for anything but the log; uploads cut off leave no file. */
  stopNow(code: number): void {
    discardUploadsInFlight();
    this.log?.flush();
    this.output.exit(code);
  }
}
