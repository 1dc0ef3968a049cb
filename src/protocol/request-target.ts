import { SP, TARGET } from './chars.js';
import { ProtocolError } from './errors.js';
import { isValidHostHeader } from './host.js';
import { RequestHead, type TargetForm } from './request-head.js';

/**
 * Scans the request-target starting at `start` up to the SP that ends it and returns that SP's
 * offset. Throws when a byte may not appear in a target (RFC 9112 §3.2, RFC 3986 §2).
 */
export function scanTarget(buf: Buffer, start: number, lineEnd: number): number {
  let p = start;
  while (p < lineEnd && TARGET[buf[p]!] === 1) p++;
  if (p === start || p >= lineEnd || buf[p] !== SP) {
    throw new ProtocolError(400, buf[p] === 0x23 /* # */ ? 'Fragment in request target' : 'Malformed request target');
  }
  return p;
}

/** Splits a scanned target into its form, path and query (RFC 9112 §3.2.1–§3.2.4). */
export function splitTarget(method: string, target: string, versionMinor: number): RequestHead {
  const fields: string[] = [];
  let form: TargetForm;
  let path: string;
  if (method === 'CONNECT') {
    // authority-form: host ":" port, nothing else.
    if (!/:[0-9]{1,5}$/.test(target) || !isValidHostHeader(target) || target.includes('/')) {
      throw new ProtocolError(400, 'CONNECT needs an authority-form target');
    }
    return new RequestHead(method, target, 'authority', target, '', versionMinor, fields);
  }
  if (target.charCodeAt(0) === 0x2f /* / */) {
    form = 'origin';
    path = target;
  } else if (target === '*') {
    if (method !== 'OPTIONS') throw new ProtocolError(400, 'Asterisk target is only for OPTIONS');
    return new RequestHead(method, target, 'asterisk', '*', '', versionMinor, fields);
  } else {
    const scheme = /^https?:\/\//i.exec(target);
    if (scheme === null) throw new ProtocolError(400, 'Malformed request target');
    const rest = target.slice(scheme[0].length);
    let authorityEnd = rest.search(/[/?]/);
    if (authorityEnd < 0) authorityEnd = rest.length;
    const authority = rest.slice(0, authorityEnd);
    if (authority === '' || authority.charCodeAt(0) === 0x3a || !isValidHostHeader(authority)) {
      throw new ProtocolError(400, 'Invalid authority in request target');
    }
    form = 'absolute';
    path = rest.slice(authorityEnd);
    if (path === '' || path.charCodeAt(0) === 0x3f) path = `/${path}`;
  }
  let query = '';
  const q = path.indexOf('?');
  if (q >= 0) {
    query = path.slice(q + 1);
    path = path.slice(0, q);
  }
  return new RequestHead(method, target, form, path, query, versionMinor, fields);
}
