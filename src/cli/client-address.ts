import { isIP } from 'node:net';
import type { Request } from '../index.js';

/**
 * The client address a trusted reverse proxy reports. Each proxy appends the address it saw
 * to the right of Forwarded / X-Forwarded-For, so the right-most entry is the one our own
 * proxy wrote; entries further left came from the client or earlier hops and can be forged.
 * Forwarded (RFC 7239) wins over X-Forwarded-For. Falls back to `peer` when neither holds
 * a usable address.
 */
export function proxiedClientAddress(req: Request, peer: string): string {
  const forwarded = req.header('forwarded');
  if (forwarded !== undefined) {
    const last = forwarded.slice(forwarded.lastIndexOf(',') + 1);
    for (const pair of last.split(';')) {
      const eq = pair.indexOf('=');
      if (pair.slice(0, eq).trim().toLowerCase() === 'for') return usableNode(pair.slice(eq + 1), peer);
    }
  }
  const forwardedFor = req.header('x-forwarded-for');
  if (forwardedFor !== undefined) return usableNode(forwardedFor.slice(forwardedFor.lastIndexOf(',') + 1), peer);
  return peer;
}

/** Strips quotes, brackets and port; keeps only IP addresses and RFC 7239 obfuscated names. */
function usableNode(raw: string, peer: string): string {
  let node = raw.trim().replace(/^"(.*)"$/, '$1');
  if (node.startsWith('[')) {
    const end = node.indexOf(']');
    node = end < 0 ? '' : node.slice(1, end);
  } else if (node.indexOf(':') === node.lastIndexOf(':')) {
    node = node.replace(/:[0-9]*$/, ''); // IPv4 with a port; bare IPv6 has several colons
  }
  if (isIP(node) !== 0 || /^_[A-Za-z0-9._-]+$/.test(node)) return node;
  return peer;
}
