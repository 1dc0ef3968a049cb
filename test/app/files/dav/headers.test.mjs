// WebDAV request headers: If (RFC 4918 §10.4) parsed and evaluated without I/O; Depth,
// Overwrite, Timeout and Destination.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDepth, parseDestination, parseOverwrite, parseTimeout } from '../../../../dist/app/files/dav/headers.js';
import { evaluateIf, parseIf, resourcesOf, submittedTokens } from '../../../../dist/app/files/dav/if-header.js';

const T = 'urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2';
const status = (code) => ({ status: code });

describe('If header', () => {
  test('parses untagged and tagged lists, Not, state tokens and entity tags', () => {
    assert.deepEqual(parseIf(`(<${T}> ["e1"]) (Not <DAV:no-lock> [W/"e2"])`), [
      {
        resource: null,
        conditions: [
          { not: false, kind: 'token', value: T },
          { not: false, kind: 'etag', value: '"e1"' },
        ],
      },
      {
        resource: null,
        conditions: [
          { not: true, kind: 'token', value: 'DAV:no-lock' },
          { not: false, kind: 'etag', value: 'W/"e2"' },
        ],
      },
    ]);
    const tagged = parseIf(`<http://h/files/a> (<${T}>) ([")]"]) <http://h/files/b> (NOT<${T}>)`);
    assert.deepEqual(
      tagged.map((list) => [list.resource, list.conditions.map((c) => `${c.not ? '!' : ''}${c.value}`)]),
      [
        ['http://h/files/a', [T]],
        ['http://h/files/a', ['")]"']],
        ['http://h/files/b', [`!${T}`]],
      ],
    );
    assert.deepEqual(resourcesOf(tagged), ['http://h/files/a', 'http://h/files/b']);
  });

  test('malformed headers are a 400', () => {
    for (const value of ['', '()', '(', '(<x>', '<a>', '<a> <b> (<x>)', '(<x>) <a> (<y>)', '(["unterminated])', '([e])', '(x)', '(Not)']) {
      assert.throws(() => parseIf(value), status(400), JSON.stringify(value));
    }
  });

  test('evaluates: one true list is enough, every condition of a list must hold, Not inverts', () => {
    const locked = { etag: '"e1"', tokens: new Set([T]) };
    const cases = [
      [`(<${T}>)`, true],
      [`(<${T}x>)`, false],
      [`(<${T}> ["e1"])`, true],
      [`(<${T}> ["e2"])`, false],
      [`(<${T}x>) (Not <DAV:no-lock>)`, true],
      [`(<${T}> ["e2"]) (Not <DAV:no-lock> ["e2"])`, false],
      [`(<${T}> ["e1"]) (Not <DAV:no-lock> ["e1"])`, true],
      ['(Not ["e1"])', false],
      ['(["e1"])', true],
      ['([W/"e1"])', false],
    ];
    for (const [header, expected] of cases) {
      assert.equal(
        evaluateIf(parseIf(header), () => locked),
        expected,
        header,
      );
    }
  });

  test('a list about a resource that cannot be resolved does not hold; nothing there has no entity tag', () => {
    const lists = parseIf('<http://elsewhere/x> (Not <DAV:no-lock>)');
    assert.equal(
      evaluateIf(lists, () => undefined),
      false,
    );
    assert.equal(
      evaluateIf(parseIf('(["e"])'), () => ({ etag: null, tokens: new Set() })),
      false,
    );
    assert.equal(
      evaluateIf(parseIf('(Not ["e"])'), () => ({ etag: null, tokens: new Set() })),
      true,
    );
  });

  test('submitted tokens: every state token not under Not', () => {
    assert.deepEqual([...submittedTokens(parseIf(`<http://h/y> (<a:1>) (Not <a:2>) <http://h/x> (<a:3> ["e"])`))], ['a:1', 'a:3']);
  });
});

describe('Depth, Overwrite, Timeout', () => {
  test('Depth: default when absent, only the allowed values, case-insensitive', () => {
    assert.equal(parseDepth(undefined, 'infinity', ['0', '1', 'infinity']), 'infinity');
    assert.equal(parseDepth(' Infinity ', '0', ['0', 'infinity']), 'infinity');
    assert.equal(parseDepth('1', '0', ['0', '1']), '1');
    assert.throws(() => parseDepth('1', '0', ['0', 'infinity']), status(400));
    assert.throws(() => parseDepth('2', '0', ['0', '1', 'infinity']), status(400));
  });

  test('Overwrite: T by default, T or F, anything else 400', () => {
    assert.equal(parseOverwrite(undefined), true);
    assert.equal(parseOverwrite('F'), false);
    assert.equal(parseOverwrite('t'), true);
    assert.throws(() => parseOverwrite('yes'), status(400));
  });

  test('Timeout: the first wish understood, capped; Infinite and nonsense get the maximum', () => {
    assert.equal(parseTimeout(undefined, 3600), 3600);
    assert.equal(parseTimeout('Second-600', 3600), 600);
    assert.equal(parseTimeout('Infinite, Second-10', 3600), 3600);
    assert.equal(parseTimeout('Second-4100000000', 3600), 3600);
    assert.equal(parseTimeout('Minute-3, Second-20', 3600), 20);
    assert.equal(parseTimeout('Second-0', 3600), 1);
    assert.equal(parseTimeout('soon', 3600), 3600);
  });
});

describe('Destination', () => {
  test('an absolute URI on this host or an absolute path; the name below the prefix, decoded', () => {
    assert.equal(parseDestination('http://localhost:4221/files/a%20b/c', 'localhost:4221', '/files/'), 'a b/c');
    assert.equal(parseDestination('HTTP://LocalHost/files/x/', 'localhost:80', '/files/'), 'x/');
    assert.equal(parseDestination('/files/caf%C3%A9', 'h', '/files/'), 'caf\u00e9');
    assert.equal(parseDestination('/files/q?x=1', 'h', '/files/'), 'q');
  });

  test('another host 502; outside the prefix 403; missing, malformed 400', () => {
    assert.throws(() => parseDestination('http://other:4221/files/a', 'localhost:4221', '/files/'), status(502));
    assert.throws(() => parseDestination('ftp://localhost:4221/files/a', 'localhost:4221', '/files/'), status(502));
    assert.throws(() => parseDestination('/elsewhere/a', 'h', '/files/'), status(403));
    assert.throws(() => parseDestination(undefined, 'h', '/files/'), status(400));
    assert.throws(() => parseDestination('http://[bad', 'h', '/files/'), status(400));
    assert.throws(() => parseDestination('/files/%E0%A4%A', 'h', '/files/'), status(400));
  });
});
