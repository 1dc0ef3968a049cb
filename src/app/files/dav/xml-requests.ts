import { HttpError } from '../../../index.js';
import { childOf, elementsOf, type XmlElement } from './xml-parse.js';
import { DAV, serialize } from './xml-write.js';

/** A property's name: namespace URI and local name. */
export interface PropName {
  readonly ns: string;
  readonly name: string;
}

/** What a PROPFIND asks for (RFC 4918 §9.1; an empty body means allprop). */
export type PropfindRequest =
  | { readonly kind: 'allprop'; readonly include: readonly PropName[] }
  | { readonly kind: 'propname' }
  | { readonly kind: 'prop'; readonly names: readonly PropName[] };

/** One instruction of a PROPPATCH, in document order (RFC 4918 §9.2). */
export type PropPatchOp = { readonly kind: 'set'; readonly prop: XmlElement } | { readonly kind: 'remove'; readonly name: PropName };

export type LockScope = 'exclusive' | 'shared';

/** A LOCK body's content (RFC 4918 §14.11): the scope and the owner as XML to echo back. */
export interface LockInfo {
  readonly scope: LockScope;
  readonly owner: string;
}

function invalid(what: string): HttpError {
  return new HttpError(400, `Invalid ${what} body`);
}

function is(element: XmlElement, name: string): boolean {
  return element.ns === DAV && element.name === name;
}

export function parsePropfind(root: XmlElement | null): PropfindRequest {
  if (root === null) return { kind: 'allprop', include: [] };
  if (!is(root, 'propfind')) throw invalid('PROPFIND');
  const [first, ...rest] = elementsOf(root).filter((child) => child.ns === DAV);
  if (first === undefined) throw invalid('PROPFIND');
  if (is(first, 'propname') && rest.length === 0) return { kind: 'propname' };
  if (is(first, 'prop') && rest.length === 0) return { kind: 'prop', names: elementsOf(first).map(nameOf) };
  if (is(first, 'allprop')) {
    const include = rest.find((child) => is(child, 'include'));
    if (rest.length > (include === undefined ? 0 : 1)) throw invalid('PROPFIND');
    return { kind: 'allprop', include: include === undefined ? [] : elementsOf(include).map(nameOf) };
  }
  throw invalid('PROPFIND');
}

export function parsePropPatch(root: XmlElement | null): PropPatchOp[] {
  if (root === null || !is(root, 'propertyupdate')) throw invalid('PROPPATCH');
  const ops: PropPatchOp[] = [];
  for (const instruction of elementsOf(root)) {
    if (!is(instruction, 'set') && !is(instruction, 'remove')) continue;
    const prop = childOf(instruction, DAV, 'prop');
    if (prop === undefined) throw invalid('PROPPATCH');
    for (const property of elementsOf(prop)) {
      ops.push(is(instruction, 'set') ? { kind: 'set', prop: property } : { kind: 'remove', name: nameOf(property) });
    }
  }
  if (ops.length === 0) throw invalid('PROPPATCH');
  return ops;
}

/** A LOCK body; null (no body) means a refresh of an existing lock. */
export function parseLockInfo(root: XmlElement): LockInfo {
  if (!is(root, 'lockinfo')) throw invalid('LOCK');
  const scope = childOf(root, DAV, 'lockscope');
  const type = childOf(root, DAV, 'locktype');
  const scopeName = scope === undefined ? undefined : elementsOf(scope)[0];
  const typeName = type === undefined ? undefined : elementsOf(type)[0];
  if (scopeName === undefined || typeName === undefined) throw invalid('LOCK');
  if (!is(typeName, 'write')) throw new HttpError(422, 'Only write locks exist');
  if (!is(scopeName, 'exclusive') && !is(scopeName, 'shared')) throw invalid('LOCK');
  const owner = childOf(root, DAV, 'owner');
  return { scope: scopeName.name as LockScope, owner: owner === undefined ? '' : serialize(owner.children) };
}

function nameOf(element: XmlElement): PropName {
  return { ns: element.ns, name: element.name };
}
