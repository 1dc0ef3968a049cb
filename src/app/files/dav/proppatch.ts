import { HttpError, type Request, type Response } from '../../../index.js';
import { isLive } from './live-props.js';
import type { PropChange } from './prop-store.js';
import { keyOf, requestName, sendXml, type DavSpace } from './space.js';
import { checkWrite } from './write-guard.js';
import { parseXmlBody } from './xml-parse.js';
import { parsePropPatch, type PropName } from './xml-requests.js';
import { element, Multistatus, serializeElement } from './xml-write.js';

/**
 * PROPPATCH (RFC 4918 §9.2): dead properties are set and removed in document order, all or
 * nothing. Live properties are protected: an attempt to change one fails with 403 and every
 * other instruction of the request with 424, and nothing is stored.
 */
export async function proppatch(space: DavSpace, req: Request, res: Response): Promise<void> {
  const name = requestName(space, req);
  const ops = parsePropPatch(await parseXmlBody(req));
  const { exists } = await space.files.locate(name.segments);
  if (!exists) throw new HttpError(404, 'Not Found');
  const key = keyOf(name.segments);
  await checkWrite(space, req, key, [{ resource: key, tree: false, membership: false }]);

  const names = ops.map((op) => (op.kind === 'set' ? { ns: op.prop.ns, name: op.prop.name } : op.name));
  const refused = names.some(isLive);
  if (!refused) {
    const changes = ops.map(
      (op): PropChange =>
        op.kind === 'set'
          ? { kind: 'set', prop: { ns: op.prop.ns, name: op.prop.name, xml: serializeElement(op.prop) } }
          : { kind: 'remove', name: op.name },
    );
    await space.props.change(key, changes);
  }
  const status = (prop: PropName): number => (!refused ? 200 : isLive(prop) ? 403 : 424);
  const groups = [200, 403, 424].map((code) => ({
    status: code,
    props: names.filter((prop) => status(prop) === code).map((prop) => element(prop.ns, prop.name)),
  }));
  sendXml(res, 207, new Multistatus().propstats(space.href(name.segments, name.directory), groups).toString());
}
