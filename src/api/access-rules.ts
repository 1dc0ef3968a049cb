// Access rules in the syntax dufs users know: "USER:SECRET@PATH[:ro|:rw][,PATH...]" for a
// login, "@PATH[:ro|:rw]" for anonymous users. Parsing only; secrets are checked in credentials.ts.

/** What a principal may do at a path, weakest first. */
export type Access = 'none' | 'index' | 'read' | 'write';
/**
 * What a request needs: `list` a folder (also granted on folders that only lead to readable
 * paths, whose listing then shows just those), `read` a file or folder, `write` a name, or
 * `write-tree`: write a name and everything below it (deleting or replacing a whole folder,
 * which a deeper read-only rule must stop).
 */
export type Need = 'list' | 'read' | 'write' | 'write-tree';

const RANK: Record<Access, number> = { none: 0, index: 1, read: 2, write: 3 };
const NEEDED: Record<Need, number> = { list: RANK.index, read: RANK.read, write: RANK.write, 'write-tree': RANK.write };

export function grants(access: Access, need: Need): boolean {
  return RANK[access] >= NEEDED[need];
}

interface PathGrant {
  /** Decoded segments below the root; [] is the whole tree. */
  segments: readonly string[];
  access: 'read' | 'write';
}

/** A login's secret: a bcrypt hash, or (discouraged) the password itself. */
export type Secret = { kind: 'bcrypt'; hash: string } | { kind: 'plain'; password: string };

export interface AccessRule {
  /** null for the anonymous rule ("@PATH"). */
  user: string | null;
  secret: Secret | null;
  grants: PathGrant[];
}

/** A rule that cannot be parsed; the message names the rule (secret masked) and what is wrong. */
export class RuleError extends Error {
  constructor(rule: string, reason: string) {
    super(`invalid rule "${maskSecret(rule)}": ${reason}`);
    this.name = 'RuleError';
  }
}

/** "alice:s3cret@/x" → "alice:***@/x": error messages and logs never show a password. */
function maskSecret(rule: string): string {
  const at = separatorAt(rule);
  const colon = rule.indexOf(':');
  if (at <= 0 || colon < 0 || colon > at) return rule;
  return `${rule.slice(0, colon)}:***${rule.slice(at)}`;
}

/**
 * The "@" that starts the path list: the first one followed by "/". bcrypt hashes never
 * contain "@", and this lets a plain password contain one too.
 */
function separatorAt(rule: string): number {
  for (let at = rule.indexOf('@'); at >= 0; at = rule.indexOf('@', at + 1)) {
    if (rule.charCodeAt(at + 1) === 0x2f /* / */) return at;
  }
  return -1;
}

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

/** Parses one rule; throws RuleError naming it. */
export function parseRule(text: string): AccessRule {
  const rule = text.trim();
  const at = separatorAt(rule);
  if (at < 0) throw new RuleError(rule, 'expected USER:SECRET@PATH or @PATH (paths start with "/")');
  const grants = rule
    .slice(at + 1)
    .split(',')
    .map((item) => parseGrant(rule, item.trim()));
  const seen = new Set<string>();
  for (const grant of grants) {
    const key = grant.segments.join('/');
    if (seen.has(key)) throw new RuleError(rule, `path /${key} is given twice`);
    seen.add(key);
  }
  if (at === 0) return { user: null, secret: null, grants };
  const login = rule.slice(0, at);
  const colon = login.indexOf(':');
  if (colon < 0) throw new RuleError(rule, 'expected USER:SECRET before "@" (or nothing, for anonymous access)');
  const user = login.slice(0, colon);
  const secretText = login.slice(colon + 1);
  if (user === '') throw new RuleError(rule, 'the user name is empty');
  // eslint-disable-next-line no-control-regex -- control characters cannot be typed in a login prompt
  if (/[\x00-\x1f\x7f]/.test(user)) throw new RuleError(rule, 'the user name has control characters');
  if (secretText === '') throw new RuleError(rule, 'the secret is empty');
  let secret: Secret;
  if (secretText.startsWith('$2')) {
    if (!BCRYPT.test(secretText)) throw new RuleError(rule, 'the secret looks like a bcrypt hash but is not a valid $2a$/$2b$/$2y$ hash');
    secret = { kind: 'bcrypt', hash: secretText };
  } else {
    secret = { kind: 'plain', password: secretText };
  }
  return { user, secret, grants };
}

function parseGrant(rule: string, item: string): PathGrant {
  let path = item;
  let access: PathGrant['access'] = 'read';
  const colon = item.lastIndexOf(':');
  if (colon >= 0 && !item.includes('/', colon)) {
    const suffix = item.slice(colon + 1);
    if (suffix === 'rw') access = 'write';
    else if (suffix !== 'ro') throw new RuleError(rule, `unknown access ":${suffix}" after ${item.slice(0, colon) || '""'} (expected :ro or :rw)`);
    path = item.slice(0, colon);
  }
  if (!path.startsWith('/')) throw new RuleError(rule, `path "${path}" must start with "/"`);
  const segments = pathSegments(path);
  if (segments === null) throw new RuleError(rule, `path "${path}" may not contain "." or ".." segments, backslashes or control characters`);
  return { segments, access };
}

/**
 * Splits a decoded path into segments: empty segments dropped ("/a//b/" is a/b), and null
 * for ".", "..", backslashes and control characters, which could otherwise name a place
 * other than the one the rules were matched against.
 */
export function pathSegments(path: string): string[] | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\\x00-\x1f\x7f]/.test(path)) return null;
  const segments = path.split('/').filter((segment) => segment !== '');
  return segments.some((segment) => segment === '.' || segment === '..') ? null : segments;
}

/** One principal's grants, the most specific (deepest) path first. */
class GrantList {
  private readonly grants: PathGrant[] = [];

  add(more: readonly PathGrant[], rule: string): void {
    for (const grant of more) {
      if (this.grants.some((g) => sameSegments(g.segments, grant.segments))) {
        throw new RuleError(rule, `path /${grant.segments.join('/')} is already given for this user`);
      }
      this.grants.push(grant);
    }
    this.grants.sort((a, b) => b.segments.length - a.segments.length);
  }

  /** The most specific grant covering `segments`; else `index` when it leads to one. */
  accessAt(segments: readonly string[]): Access {
    for (const grant of this.grants) if (isPrefix(grant.segments, segments)) return grant.access;
    return this.grants.some((grant) => isPrefix(segments, grant.segments)) ? 'index' : 'none';
  }

  /** The paths of the grants strictly below `segments`. */
  pathsBelow(segments: readonly string[]): (readonly string[])[] {
    return this.grants.filter((grant) => grant.segments.length > segments.length && isPrefix(segments, grant.segments)).map((grant) => grant.segments);
  }

  get writes(): boolean {
    return this.grants.some((grant) => grant.access === 'write');
  }

  readOnly(): void {
    for (const grant of this.grants) grant.access = 'read';
  }
}

function isPrefix(prefix: readonly string[], segments: readonly string[]): boolean {
  if (prefix.length > segments.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== segments[i]) return false;
  return true;
}

function sameSegments(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && isPrefix(a, b);
}

export interface Login {
  secret: Secret;
  grants: GrantList;
}

/**
 * A set of parsed rules. Rules for the same user (with the same secret) combine, and so do
 * anonymous rules. A logged-in user gets the better of their own access and anonymous access.
 */
export class AccessRules {
  /** @internal The logins by user name; the command line counts and checks them. */
  readonly logins = new Map<string, Login>();
  private readonly anonymous = new GrantList();

  constructor(rules: readonly string[]) {
    for (const text of rules) {
      const rule = parseRule(text);
      if (rule.user === null || rule.secret === null) {
        this.anonymous.add(rule.grants, text);
        continue;
      }
      const known = this.logins.get(rule.user);
      if (known === undefined) {
        const grants = new GrantList();
        grants.add(rule.grants, text);
        this.logins.set(rule.user, { secret: rule.secret, grants });
      } else if (!sameSecret(known.secret, rule.secret)) {
        throw new RuleError(text, `user ${rule.user} already has a rule with another secret`);
      } else {
        known.grants.add(rule.grants, text);
      }
    }
  }

  /** What `user` (null: anonymous) may do at `segments`; an unknown user is anonymous. */
  accessAt(user: string | null, segments: readonly string[]): Access {
    const anonymous = this.anonymous.accessAt(segments);
    const own = user === null ? undefined : this.logins.get(user)?.grants.accessAt(segments);
    return own !== undefined && RANK[own] > RANK[anonymous] ? own : anonymous;
  }

  /**
   * @internal
   * The weakest access anywhere at or below `segments`. Access only changes at a rule's path,
   * so checking `segments` and every rule path below it is enough.
   */
  treeAccessAt(user: string | null, segments: readonly string[]): Access {
    const own = user === null ? undefined : this.logins.get(user)?.grants;
    let weakest = this.accessAt(user, segments);
    for (const below of [...this.anonymous.pathsBelow(segments), ...(own?.pathsBelow(segments) ?? [])]) {
      const access = this.accessAt(user, below);
      if (RANK[access] < RANK[weakest]) weakest = access;
    }
    return weakest;
  }

  /** @internal True when some rule allows writing somewhere. */
  get writes(): boolean {
    return this.anonymous.writes || [...this.logins.values()].some((login) => login.grants.writes);
  }

  /** @internal Users whose secret is a plain password (worth a warning). */
  get plainPasswordUsers(): string[] {
    return [...this.logins].filter(([, login]) => login.secret.kind === 'plain').map(([user]) => user);
  }

  /** @internal Turns every ":rw" into ":ro" (the --read-only switch). */
  readOnly(): void {
    this.anonymous.readOnly();
    for (const login of this.logins.values()) login.grants.readOnly();
  }
}

function sameSecret(a: Secret, b: Secret): boolean {
  return a.kind === 'bcrypt' ? b.kind === 'bcrypt' && a.hash === b.hash : b.kind === 'plain' && a.password === b.password;
}
