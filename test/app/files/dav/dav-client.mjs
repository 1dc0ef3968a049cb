// Test helper: WebDAV requests on their own connection, and multistatus bodies read back.
import { exchange, parseResponses } from '../../../helpers.mjs';
import { parseXml } from '../../../../dist/app/files/dav/xml-parse.js';

/** One request on a new connection (Connection: close); resolves the parsed response. */
export async function dav(port, method, target, { headers = {}, body } = {}) {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const { raw } = await exchange(port, body === undefined ? head : Buffer.concat([head, Buffer.from(body)]), { idleMs: 5000 });
  const [res] = parseResponses(raw, { headRequests: method === 'HEAD' ? [0] : [] });
  return res;
}

async function* once(buffer) {
  yield buffer;
}

const text = (node) => (typeof node === 'string' ? node : node.children.map(text).join(''));
const kids = (node) => node.children.filter((child) => typeof child !== 'string');

/**
 * A multistatus body as { [href]: { [ "{ns}name" ]: { status, text, xml } } }, plus
 * { [href]: { status } } for responses with a status of their own.
 */
export async function readMultistatus(body) {
  const root = await parseXml(once(body));
  if (root.ns !== 'DAV:' || root.name !== 'multistatus') throw new Error(`not a multistatus: ${body}`);
  const out = {};
  for (const response of kids(root)) {
    const href = text(kids(response).find((e) => e.name === 'href'));
    const entry = (out[href] = {});
    for (const child of kids(response)) {
      if (child.name === 'status') entry.status = Number(text(child).split(' ')[1]);
      if (child.name !== 'propstat') continue;
      const status = Number(text(kids(child).find((e) => e.name === 'status')).split(' ')[1]);
      for (const prop of kids(kids(child).find((e) => e.name === 'prop'))) {
        entry[`{${prop.ns}}${prop.name}`] = { status, text: text(prop), element: prop };
      }
    }
  }
  return out;
}

export const PROPFIND_ALL = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>';
