import type { Socket } from 'node:net';
import { RequestParser, type RequestHead } from '../protocol/index.js';
import type { CoarseClock } from './clock.js';
import type { ServerOptions } from './config.js';
import type { Handler } from './handler.js';

/** What every connection of a server shares. */
export interface ConnectionContext<C = unknown> {
  readonly options: ServerOptions;
  readonly handler: Handler;
  readonly clock: CoarseClock;
  /** Parsers of connections that went idle, lent to the next connection with bytes to parse. */
  readonly spareParsers: RequestParser[];
  closed(connection: C): void;
  /** True when someone listens for upgrades: only then is an upgrade request handed over. */
  upgradeWanted(): boolean;
  /** Takes a socket whose connection stepped aside for an upgrade; `rest` = bytes read past the head. */
  upgrade(socket: Socket, head: RequestHead, rest: Buffer): void;
}

/**
 * Stands in for a parser while a connection is idle: it holds no bytes, so `buffered` is 0
 * and `next()` asks for data without changing any state. Parsers are lent from the server's
 * spares only while bytes wait, so thousands of idle keep-alive connections hold none.
 */
export const NO_PARSER = new RequestParser();

const MAX_SPARE_PARSERS = 256;

export function borrowParser(context: ConnectionContext): RequestParser {
  return context.spareParsers.pop() ?? new RequestParser(context.options);
}

/** Gives an emptied parser back; returns NO_PARSER for the connection to hold instead. */
export function returnParser(context: ConnectionContext, parser: RequestParser): RequestParser {
  if (parser !== NO_PARSER && context.spareParsers.length < MAX_SPARE_PARSERS) context.spareParsers.push(parser);
  return NO_PARSER;
}
