import { HttpError } from '../../../index.js';

/**
 * The If header (RFC 4918 §10.4): a sans-I/O parser and evaluator. The caller resolves each
 * resource the header names to its current state; evaluation itself touches nothing.
 *
 *   If = 1*No-tag-list | 1*Tagged-list
 *   Tagged-list = "<" Resource-URI ">" 1*List
 *   List = "(" 1*(["Not"] ( "<" State-token ">" | "[" entity-tag "]" )) ")"
 */

/** One condition of a list: a state token (lock token) or an entity tag, maybe negated. */
export interface IfCondition {
  readonly not: boolean;
  readonly kind: 'token' | 'etag';
  readonly value: string;
}

/** A list of conditions (all must hold), for the request's resource (null) or a tagged one. */
export interface IfList {
  readonly resource: string | null;
  readonly conditions: readonly IfCondition[];
}

/** What a condition is checked against: the resource's entity tag and the tokens of its locks. */
export interface ResourceState {
  /** Null when nothing exists there. */
  readonly etag: string | null;
  /** Tokens of every lock that covers the resource. */
  readonly tokens: ReadonlySet<string>;
}

function malformed(): HttpError {
  return new HttpError(400, 'Malformed If header');
}

export function parseIf(value: string): IfList[] {
  const lists: IfList[] = [];
  let at = 0;
  let resource: string | null = null;
  let tagged: boolean | null = null;
  const until = (close: string): string => {
    const end = value.indexOf(close, at + 1);
    if (end < 0) throw malformed();
    const text = value.slice(at + 1, end);
    at = end + 1;
    return text;
  };
  while ((at = afterSpace(value, at)) < value.length) {
    const c = value[at];
    if (c === '<') {
      if (tagged === false) throw malformed();
      tagged = true;
      resource = until('>');
      if (resource === '') throw malformed();
      at = afterSpace(value, at);
      if (value[at] !== '(') throw malformed();
      continue;
    }
    if (c !== '(') throw malformed();
    tagged ??= false;
    at++;
    const conditions: IfCondition[] = [];
    while ((at = afterSpace(value, at)) < value.length && value[at] !== ')') {
      let not = false;
      if (value.slice(at, at + 3).toLowerCase() === 'not') {
        not = true;
        at = afterSpace(value, at + 3);
      }
      if (value[at] === '<') conditions.push({ not, kind: 'token', value: until('>') });
      else if (value[at] === '[') conditions.push({ not, kind: 'etag', value: entityTag() });
      else throw malformed();
    }
    if (at >= value.length || conditions.length === 0) throw malformed();
    at++;
    lists.push({ resource, conditions });
  }
  if (lists.length === 0) throw malformed();
  return lists;

  /** "[" entity-tag "]", where the tag's quoted part may itself hold "]". */
  function entityTag(): string {
    at++;
    const start = at;
    if (value.startsWith('W/', at)) at += 2;
    if (value[at] !== '"') throw malformed();
    const close = value.indexOf('"', at + 1);
    if (close < 0 || value[close + 1] !== ']') throw malformed();
    at = close + 2;
    return value.slice(start, close + 1);
  }
}

function afterSpace(value: string, at: number): number {
  while (at < value.length && (value[at] === ' ' || value[at] === '\t')) at++;
  return at;
}

/** The resources the header names (null for the request's own), each once. */
export function resourcesOf(lists: readonly IfList[]): (string | null)[] {
  return [...new Set(lists.map((list) => list.resource))];
}

/**
 * True when at least one list holds. A list for a resource `stateOf` cannot resolve (on
 * another server, say) does not hold.
 */
export function evaluateIf(lists: readonly IfList[], stateOf: (resource: string | null) => ResourceState | undefined): boolean {
  return lists.some((list) => {
    const state = stateOf(list.resource);
    return state !== undefined && list.conditions.every((condition) => holds(condition, state) !== condition.not);
  });
}

function holds(condition: IfCondition, state: ResourceState): boolean {
  if (condition.kind === 'token') return state.tokens.has(condition.value);
  return state.etag !== null && condition.value === state.etag;
}

/** The lock tokens the client submits: every state token named without "Not". */
export function submittedTokens(lists: readonly IfList[]): Set<string> {
  const tokens = new Set<string>();
  for (const list of lists) for (const condition of list.conditions) if (condition.kind === 'token' && !condition.not) tokens.add(condition.value);
  return tokens;
}
