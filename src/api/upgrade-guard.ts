import type { Socket } from 'node:net';
import type { Handler } from '../server/handler.js';
import { httpDate } from '../server/http-date.js';
import { Request } from '../server/request.js';
import { Response, type ResponseSink } from '../server/response.js';
import type { UpgradeListener } from '../server/upgrade.js';
import { serializeErrorResponse } from '../protocol/index.js';

/** A handler wrapper: answers some requests itself (refusals) and passes the rest to `next`. */
export type HandlerWrapper = (next: Handler) => Handler;

/**
 * Runs handler wrappers — access rules such as a host or origin check, a login — on upgrade
 * requests, which never reach the server's handler: `listener` gets the upgrade only when the
 * wrapper passes the request on; otherwise the wrapper's answer (403, 401...) is written to
 * the socket, which then closes.
 *
 *     server.on('upgrade', guardUpgrade(hostGuard(), (req, socket, head) => wss.handleUpgrade(...)));
 */
export function guardUpgrade(wrapper: HandlerWrapper, listener: UpgradeListener): UpgradeListener {
  return (upgrade, socket, head) => {
    // The server's listeners went with the hand-over, and the wrapper may take its time (a
    // bcrypt login check runs for tens of milliseconds, a session lookup waits on I/O): a
    // client that resets the connection meanwhile makes the socket emit 'error', which with
    // no listener ends the process.
    socket.on('error', destroySocket);
    let passed = false;
    const gate = wrapper(() => {
      passed = true;
    });
    const req = new Request(upgrade.head, { wantBody: ignore, remoteAddress: upgrade.remoteAddress });
    const res = new Response(new SocketSink(socket), false);
    const decide = (): void => {
      if (passed) {
        // The listener gets the socket as without the guard, to handle its errors its own way.
        socket.off('error', destroySocket);
        listener(upgrade, socket, head);
      }
      // A wrapper that neither answered nor passed the request on: refuse rather than hang.
      else if (!res.finished) finish(socket, serializeErrorResponse(403, 'Forbidden', httpDate()));
    };
    let result: void | Promise<void>;
    try {
      result = gate(req, res);
    } catch {
      finish(socket, serializeErrorResponse(500, 'Internal Server Error', httpDate()));
      return;
    }
    if (result === undefined) decide();
    else result.then(decide, () => finish(socket, serializeErrorResponse(500, 'Internal Server Error', httpDate())));
  };
}

/**
 * Ends a refused upgrade's socket: the socket is ours again, so what the client still sends
 * is read and dropped until it closes (an unread socket would never see the client's FIN and
 * would hold its place in the connection limit).
 */
function finish(socket: Socket, answer?: Buffer): void {
  socket.on('error', () => socket.destroy());
  socket.resume();
  if (answer === undefined) socket.end();
  else socket.end(answer);
}

/** Writes a refusal straight to an upgrade's socket, then ends it. */
class SocketSink implements ResponseSink {
  readonly closeAfterResponse = true;
  readonly peerIsHttp11 = true;
  readonly announceKeepAlive = false;

  constructor(private readonly socket: Socket) {}

  get gone(): boolean {
    return this.socket.destroyed;
  }
  write(data: Buffer | string, done?: () => void): boolean {
    return typeof data === 'string' ? this.socket.write(data, 'latin1', done) : this.socket.write(data, done);
  }
  cork(): void {
    this.socket.cork();
  }
  uncork(): void {
    this.socket.uncork();
  }
  waitForDrain(): Promise<void> {
    return this.socket.writableNeedDrain ? new Promise((resolve) => this.socket.once('drain', resolve)) : Promise.resolve();
  }
  responseComplete(): void {
    finish(this.socket);
  }
  abort(): void {
    this.socket.destroy();
  }
}

function ignore(): void {}

function destroySocket(this: Socket): void {
  this.destroy();
}
