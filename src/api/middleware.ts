import type { Handler } from '../server/handler.js';

/** Wraps a handler: answers some requests itself (refusals, preflights) and passes the rest on. */
export type Middleware = (next: Handler) => Handler;

/**
 * Methods that only read. Everything else — POST, PUT, DELETE, PATCH, the WebDAV methods,
 * and any method added later — counts as changing state, so a new method is guarded by default.
 */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}
