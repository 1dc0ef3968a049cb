// The file server's name rules, without a server: reserved names, request-name checks, containment.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { HttpError } from '../../../dist/index.js';
import { METADATA_DIR, isReservedName, isShownName, isTempUploadName, tempUploadName } from '../../../dist/app/files/names.js';
import { isInside, isVisible, parseFileName } from '../../../dist/app/files/safe-path.js';

function statusOf(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error.status;
  }
  return 'no error';
}

describe('reserved names', () => {
  test('a fresh temp upload name is recognised, and two are never the same', () => {
    const a = tempUploadName();
    const b = tempUploadName();
    assert.ok(isTempUploadName(a) && isTempUploadName(b));
    assert.notEqual(a, b);
    assert.match(a, /^\.wirehttp-upload-[0-9a-f]{16}\.tmp$/);
  });

  test('the metadata area and temp files are reserved; ordinary and look-alike names are not', () => {
    assert.equal(METADATA_DIR, '.wirehttp');
    assert.ok(isReservedName('.wirehttp'));
    assert.ok(isReservedName('.wirehttp-upload-0011223344556677.tmp'));
    for (const name of ['wirehttp', '.wirehttp2', '.wirehttp-upload-x', 'a.tmp', '.hidden']) {
      assert.equal(isReservedName(name), false, name);
    }
  });

  test('reserved names are never shown, even when hidden names are', () => {
    assert.equal(isShownName('.wirehttp', true), false);
    assert.equal(isShownName('.wirehttp-upload-0011223344556677.tmp', true), false);
    assert.equal(isShownName('.hidden', true), true);
    assert.equal(isShownName('.hidden', false), false);
    assert.equal(isShownName('plain.txt', false), true);
  });
});

describe('parseFileName', () => {
  test('splits a name into segments and notes a trailing slash', () => {
    assert.deepEqual(parseFileName('a/b.txt', false), { segments: ['a', 'b.txt'], directory: false });
    assert.deepEqual(parseFileName('a/b/', false), { segments: ['a', 'b'], directory: true });
    assert.deepEqual(parseFileName('', false), { segments: [], directory: true });
  });

  test('empty, dot and dot-dot segments, backslashes and control characters are 400', () => {
    for (const name of ['a//b', './a', 'a/..', '../x', 'a\\b', 'a\x00b', 'a\x7fb', 'a\nb']) {
      assert.equal(statusOf(() => parseFileName(name, true)), 400, JSON.stringify(name));
    }
  });

  test('hidden names are 404 unless allowed; reserved names are 404 always', () => {
    assert.equal(statusOf(() => parseFileName('.env', false)), 404);
    assert.deepEqual(parseFileName('.env', true).segments, ['.env']);
    for (const hidden of [false, true]) {
      assert.equal(statusOf(() => parseFileName('.wirehttp', hidden)), 404);
      assert.equal(statusOf(() => parseFileName('.wirehttp/', hidden)), 404);
      assert.equal(statusOf(() => parseFileName('.wirehttp/locks/x', hidden)), 404);
      assert.equal(statusOf(() => parseFileName('a/.wirehttp-upload-0011223344556677.tmp', hidden)), 404);
    }
  });
});

describe('containment', () => {
  const root = path.join(path.sep, 'srv', 'root');

  test('isInside accepts the root and below, not a sibling sharing its prefix', () => {
    assert.ok(isInside(root, root));
    assert.ok(isInside(root, path.join(root, 'a', 'b')));
    assert.equal(isInside(root, `${root}2`), false);
    assert.equal(isInside(root, path.dirname(root)), false);
  });

  test('isVisible refuses a real path through a hidden or reserved segment', () => {
    assert.ok(isVisible(root, root, false));
    assert.ok(isVisible(root, path.join(root, 'a', 'b.txt'), false));
    assert.equal(isVisible(root, path.join(root, '.git', 'config'), false), false);
    assert.ok(isVisible(root, path.join(root, '.git', 'config'), true));
    assert.equal(isVisible(root, path.join(root, '.wirehttp', 'locks'), true), false);
  });
});
