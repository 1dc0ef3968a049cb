import { HEX_VALUE, REG_NAME } from './chars.js';

/**
 * True when `value` is `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2):
 * a reg-name, an IPv4 address or a bracketed IPv6 literal, then an optional decimal port.
 * Userinfo ("user@host") is never valid here. An empty value is allowed (RFC 9112 §3.2).
 */
export function isValidHostHeader(value: string): boolean {
  let i = 0;
  const n = value.length;
  if (n > 0 && value.charCodeAt(0) === 0x5b /* [ */) {
    const close = value.indexOf(']');
    if (close < 0 || !isIpLiteral(value.slice(1, close))) return false;
    i = close + 1;
  } else {
    while (i < n && value.charCodeAt(i) !== 0x3a /* : */) {
      const c = value.charCodeAt(i);
      if (c > 0xff || REG_NAME[c] !== 1) return false;
      if (c === 0x25 /* % */ && !isPercentEscape(value, i)) return false;
      i++;
    }
  }
  if (i === n) return true;
  if (value.charCodeAt(i) !== 0x3a) return false;
  const port = value.slice(i + 1);
  return port.length <= 5 && /^[0-9]*$/.test(port) && (port === '' || Number(port) <= 65535);
}

function isPercentEscape(s: string, at: number): boolean {
  const h1 = s.charCodeAt(at + 1);
  const h2 = s.charCodeAt(at + 2);
  return h1 < 256 && h2 < 256 && HEX_VALUE[h1]! !== 255 && HEX_VALUE[h2]! !== 255;
}

function isIpLiteral(inner: string): boolean {
  // IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
  if (/^v[0-9a-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+$/i.test(inner)) return true;
  return isIPv6(inner);
}

/** IPv6address of RFC 3986 §3.2.2, including the embedded-IPv4 forms. */
export function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  let groups = s.split(':');
  const last = groups[groups.length - 1]!;
  let ipv4Groups = 0;
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    ipv4Groups = 2;
    groups.push('0'); // placeholder so "::1.2.3.4" keeps its shape
  }
  const doubleColon = s.indexOf('::');
  if (doubleColon !== s.lastIndexOf('::')) return false;
  const filled = groups.filter((g, idx) => !(g === '' && (doubleColon >= 0 || idx === 0 || idx === groups.length - 1)));
  for (const g of filled) if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
  const count = filled.length - (ipv4Groups ? 1 : 0) + ipv4Groups;
  if (doubleColon >= 0) return count <= 7;
  if (groups.includes('')) return false;
  return count === 8;
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/.test(p));
}
