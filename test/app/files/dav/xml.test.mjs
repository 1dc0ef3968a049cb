// WebDAV XML: parsing request bodies (namespaces, hostile input, size limit), reading
// PROPFIND / PROPPATCH / LOCK bodies, and writing multistatus responses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseXml } from '../../../../dist/app/files/dav/xml-parse.js';
import { parseLockInfo, parsePropPatch, parsePropfind } from '../../../../dist/app/files/dav/xml-requests.js';
import { element, hrefOf, Multistatus, serialize, serializeElement } from '../../../../dist/app/files/dav/xml-write.js';

async function* chunksOf(...parts) {
  for (const part of parts) yield Buffer.from(part);
}
const parse = (text, limit) => parseXml(chunksOf(text), limit);
const status = (code) => ({ status: code });

describe('parseXml', () => {
  test('resolves namespaces whatever the prefix, including default and undeclared-again ones', async () => {
    const a = await parse('<D:propfind xmlns:D="DAV:"><D:prop><x:foo xmlns:x="urn:x"/></D:prop></D:propfind>');
    const b = await parse('<propfind xmlns="DAV:"><prop><foo xmlns="urn:x"/><bar xmlns=""/></prop></propfind>');
    assert.equal(a.ns, 'DAV:');
    assert.equal(a.name, 'propfind');
    assert.deepEqual(
      a.children[0].children.map((e) => [e.ns, e.name]),
      [['urn:x', 'foo']],
    );
    assert.deepEqual(
      b.children[0].children.map((e) => [e.ns, e.name]),
      [
        ['urn:x', 'foo'],
        ['', 'bar'],
      ],
    );
  });

  test('a body split anywhere, even inside a UTF-8 character, parses the same', async () => {
    const text = '<a xmlns="urn:t">h\u00e9llo \u20ac \u{1F600}</a>';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const root = await parseXml(chunksOf(bytes.subarray(0, cut), bytes.subarray(cut)));
      assert.equal(root.children.join(''), 'h\u00e9llo \u20ac \u{1F600}', `cut at ${cut}`);
    }
  });

  test('an empty body is null', async () => {
    assert.equal(await parseXml(chunksOf()), null);
  });

  test('hostile or broken input is a 400, never an expansion', async () => {
    const cases = {
      doctype: '<?xml version="1.0"?><!DOCTYPE a [<!ELEMENT a ANY>]><a/>',
      'billion laughs': `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`,
      'external entity': '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
      'undeclared entity': '<a>&x;</a>',
      'unclosed element': '<a><b></a>',
      'undeclared prefix': '<x:a/>',
      'two roots': '<a/><b/>',
      'text only': 'hello',
      'too deep': '<a>'.repeat(100) + '</a>'.repeat(100),
    };
    for (const [name, body] of Object.entries(cases)) {
      await assert.rejects(parse(body), status(400), name);
    }
    await assert.rejects(parseXml(chunksOf(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]))), status(400), 'not UTF-8');
  });

  test('more than the limit is a 413, and reading stops there', async () => {
    let pulled = 0;
    async function* endless() {
      yield Buffer.from('<a>');
      for (;;) {
        pulled++;
        yield Buffer.alloc(64 * 1024, 0x20);
      }
    }
    await assert.rejects(parseXml(endless(), 1024 * 1024), status(413));
    assert.equal(pulled, 16);
  });
});

describe('request bodies', () => {
  test('PROPFIND: allprop (also for no body), propname, named properties, allprop with include', async () => {
    assert.deepEqual(parsePropfind(null), { kind: 'allprop', include: [] });
    assert.deepEqual(parsePropfind(await parse('<propfind xmlns="DAV:"><allprop/></propfind>')), { kind: 'allprop', include: [] });
    assert.deepEqual(parsePropfind(await parse('<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>')), { kind: 'propname' });
    assert.deepEqual(parsePropfind(await parse('<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><z:a xmlns:z="urn:z"/></D:prop></D:propfind>')), {
      kind: 'prop',
      names: [
        { ns: 'DAV:', name: 'getetag' },
        { ns: 'urn:z', name: 'a' },
      ],
    });
    assert.deepEqual(parsePropfind(await parse('<propfind xmlns="DAV:"><allprop/><include><x xmlns="urn:q"/></include></propfind>')), {
      kind: 'allprop',
      include: [{ ns: 'urn:q', name: 'x' }],
    });
  });

  test('PROPFIND: a root or child in the wrong namespace is a 400', async () => {
    for (const body of ['<propfind><allprop/></propfind>', '<propfind xmlns="DAV:"/>', '<propfind xmlns="DAV:"><prop/><propname/></propfind>', '<prop xmlns="DAV:"/>']) {
      const root = await parse(body);
      assert.throws(() => parsePropfind(root), status(400), body);
    }
  });

  test('PROPPATCH: set and remove in document order, values kept as elements', async () => {
    const ops = parsePropPatch(
      await parse(
        '<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z"><D:set><D:prop><Z:a>1</Z:a></D:prop></D:set><D:remove><D:prop><Z:b/></D:prop></D:remove><D:set><D:prop><Z:b><Z:x>2</Z:x></Z:b></D:prop></D:set></D:propertyupdate>',
      ),
    );
    assert.deepEqual(
      ops.map((op) => (op.kind === 'set' ? ['set', op.prop.name, serialize(op.prop.children)] : ['remove', op.name.name])),
      [
        ['set', 'a', '1'],
        ['remove', 'b'],
        ['set', 'b', '<x xmlns="urn:z">2</x>'],
      ],
    );
    await assert.rejects(async () => parsePropPatch(await parse('<propertyupdate xmlns="DAV:"/>')), status(400));
    assert.throws(() => parsePropPatch(null), status(400));
  });

  test('LOCK: scope and owner; only write locks', async () => {
    const info = parseLockInfo(
      await parse('<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>me</D:href></D:owner></D:lockinfo>'),
    );
    assert.deepEqual(info, { scope: 'shared', owner: '<href xmlns="DAV:">me</href>' });
    await assert.rejects(async () => parseLockInfo(await parse('<lockinfo xmlns="DAV:"><lockscope><exclusive/></lockscope></lockinfo>')), status(400));
    await assert.rejects(
      async () => parseLockInfo(await parse('<lockinfo xmlns="DAV:"><lockscope><exclusive/></lockscope><locktype><read/></locktype></lockinfo>')),
      status(422),
    );
  });
});

describe('writing', () => {
  test('any element survives parse → serialize → parse with its namespaces, attributes and text', async () => {
    const source =
      '<p:a xmlns:p="urn:p" xmlns:q="urn:q" xml:lang="en" q:attr="v&amp;&quot;" plain="1">t &lt;x&gt; &amp; <q:b><c/></q:b><D:d xmlns:D="DAV:"/></p:a>';
    const first = await parse(source);
    const again = await parse(serializeElement(first));
    assert.deepEqual(again, first);
  });

  test('element(): DAV: uses the D prefix, others declare their namespace', () => {
    assert.equal(element('DAV:', 'getetag', '"x"'), '<D:getetag>"x"</D:getetag>');
    assert.equal(element('urn:z', 'a'), '<a xmlns="urn:z"/>');
    assert.equal(element('', 'a'), '<a xmlns=""/>');
  });

  test('a multistatus is well-formed, with 404 groups and escaped, percent-encoded hrefs', async () => {
    const body = new Multistatus()
      .propstats(hrefOf('/files/', ['a b', 'caf\u00e9 & <x>.txt'], false), [
        { status: 200, props: [element('DAV:', 'displayname', 'x')] },
        { status: 404, props: [element('urn:z', 'gone')] },
        { status: 403, props: [] },
      ])
      .status(hrefOf('/files/', ['d'], true), 423, 'lock-token-submitted')
      .toString();
    const root = await parse(body);
    assert.equal(root.name, 'multistatus');
    const [first, second] = root.children;
    assert.equal(first.children[0].children[0], '/files/a%20b/caf%C3%A9%20%26%20%3Cx%3E.txt');
    assert.equal(first.children.length, 3, 'href and two propstats; the empty group is left out');
    assert.match(body, /HTTP\/1\.1 404 Not Found/);
    assert.equal(second.children[0].children[0], '/files/d/');
    assert.match(body, /<D:status>HTTP\/1\.1 423 Locked<\/D:status><D:error><D:lock-token-submitted\/><\/D:error>/);
  });

  test('hrefOf: the root collection is the prefix itself', () => {
    assert.equal(hrefOf('/files/', [], true), '/files/');
    assert.equal(hrefOf('/files/', ['a'], true), '/files/a/');
  });
});

