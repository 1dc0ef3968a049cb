// Checks Basic credentials against the logins of the access rules.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Login, Secret } from './access-rules.js';

/**
 * Verified credentials are remembered (by a hash of the header, never the password), because
 * a browser repeats the header on every request and bcrypt costs 4 ms at cost 5 and 72 ms at
 * cost 10 (bcryptjs on one core of the build machine): without this a listing page with a few
 * dozen requests would take seconds.
 */
const VERIFIED_LIMIT = 1024;

export class Credentials {
  private readonly verified = new Map<string, string>();
  /** Checked in place of a missing user's secret, so an unknown name costs as long as a known one. */
  private readonly decoy: Secret | undefined;

  constructor(private readonly logins: ReadonlyMap<string, Login>) {
    this.decoy = logins.values().next().value?.secret;
  }

  /** The user an `Authorization: Basic ...` value logs in, or null when it does not. */
  async verify(authorization: string): Promise<string | null> {
    const key = createHash('sha256').update(authorization).digest('base64');
    const known = this.verified.get(key);
    if (known !== undefined) return known;
    const decoded = decodeBasic(authorization);
    if (decoded === null) return null;
    const login = this.logins.get(decoded.user);
    const secret = login?.secret ?? this.decoy;
    if (secret === undefined) return null;
    const matches = await matchesSecret(decoded.password, secret);
    if (!matches || login === undefined) return null;
    if (this.verified.size >= VERIFIED_LIMIT) this.verified.clear();
    this.verified.set(key, decoded.user);
    return decoded.user;
  }
}

/** "Basic dXNlcjpwYXNz" → { user, password }; null for other schemes or malformed values. */
function decodeBasic(authorization: string): { user: string; password: string } | null {
  const encoded = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(authorization)?.[1];
  if (encoded === undefined) return null;
  // RFC 7617: the charset="UTF-8" we announce means the client sends UTF-8.
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * bcryptjs is loaded on the first bcrypt check, not with the library, which every server without
 * bcrypt logins would otherwise carry for nothing: importing wirehttp then leaves 3,398 KiB of
 * heap in use after full collections instead of 3,527 KiB (`node --expose-gc`, heapUsed around
 * the import).
 */
let bcrypt: Promise<typeof import('bcryptjs')> | undefined;

async function matchesSecret(password: string, secret: Secret): Promise<boolean> {
  if (secret.kind === 'bcrypt') return (await (bcrypt ??= import('bcryptjs'))).default.compare(password, secret.hash); // constant time inside
  // Digests have equal lengths, as timingSafeEqual requires, and hide the password's length.
  const given = createHash('sha256').update(password).digest();
  const expected = createHash('sha256').update(secret.password).digest();
  return timingSafeEqual(given, expected);
}
