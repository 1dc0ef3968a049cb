import type { XmlAttribute, XmlElement, XmlNode } from './xml-parse.js';

/** The WebDAV namespace. */
export const DAV = 'DAV:';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  423: 'Locked',
  424: 'Failed Dependency',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  507: 'Insufficient Storage',
};

/** A status line as used inside multi-status bodies. */
export function statusLine(status: number): string {
  return `HTTP/1.1 ${String(status)} ${REASONS[status] ?? 'Unknown'}`;
}

export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<"\r\n\t]/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/**
 * An element of a response: DAV: elements use the "D" prefix the response's root declares,
 * every other element declares its namespace as the default (`xmlns=""` for none), so no
 * prefix can clash or go undeclared.
 */
export function element(ns: string, name: string, inner = ''): string {
  return ns === DAV ? tag(`D:${name}`, '', inner) : tag(name, ` xmlns="${escapeAttribute(ns)}"`, inner);
}

/**
 * Serializes parsed content back to XML with every namespace preserved. Each element declares
 * its own namespace as the default, so the text stands on its own wherever it is pasted (a
 * dead property's value is stored this way).
 */
export function serialize(nodes: readonly XmlNode[]): string {
  let out = '';
  for (const node of nodes) out += typeof node === 'string' ? escapeText(node) : serializeElement(node);
  return out;
}

export function serializeElement(node: XmlElement): string {
  return tag(node.name, ` xmlns="${escapeAttribute(node.ns)}"${attributesText(node.attributes)}`, serialize(node.children));
}

function tag(name: string, attributes: string, inner: string): string {
  return inner === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`;
}

function attributesText(attributes: readonly XmlAttribute[]): string {
  let text = '';
  let prefixes = 0;
  for (const attribute of attributes) {
    const value = escapeAttribute(attribute.value);
    if (attribute.ns === '') text += ` ${attribute.name}="${value}"`;
    else if (attribute.ns === XML_NS) text += ` xml:${attribute.name}="${value}"`;
    else {
      const prefix = `a${String(prefixes++)}`;
      text += ` xmlns:${prefix}="${escapeAttribute(attribute.ns)}" ${prefix}:${attribute.name}="${value}"`;
    }
  }
  return text;
}

/** One propstat group of a response: properties (as XML) sharing a status. */
export interface PropStat {
  status: number;
  props: string[];
}

/** Builds a DAV:multistatus body, one response at a time. */
export class Multistatus {
  private body = '<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">';

  /** A response with properties grouped by status (empty groups are left out). */
  propstats(href: string, groups: readonly PropStat[]): this {
    this.body += `<D:response><D:href>${escapeText(href)}</D:href>`;
    for (const group of groups) {
      if (group.props.length === 0) continue;
      this.body += `<D:propstat><D:prop>${group.props.join('')}</D:prop><D:status>${statusLine(group.status)}</D:status></D:propstat>`;
    }
    this.body += '</D:response>';
    return this;
  }

  /** A response with one status for the resource (for COPY, MOVE, DELETE and LOCK failures). */
  status(href: string, status: number, error?: string): this {
    this.body += `<D:response><D:href>${escapeText(href)}</D:href><D:status>${statusLine(status)}</D:status>`;
    if (error !== undefined) this.body += `<D:error>${element(DAV, error)}</D:error>`;
    this.body += '</D:response>';
    return this;
  }

  toString(): string {
    return `${this.body}</D:multistatus>\n`;
  }
}

/** A DAV:error body naming one precondition (RFC 4918 §16). */
export function errorBody(condition: string, inner = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:">${element(DAV, condition, inner)}</D:error>\n`;
}

/** The href of a resource below `prefix`: segments percent-encoded, "/" kept between them. */
export function hrefOf(prefix: string, segments: readonly string[], collection: boolean): string {
  const path = segments.map(encodeURIComponent).join('/');
  return `${prefix}${path}${collection && path !== '' ? '/' : ''}`;
}
