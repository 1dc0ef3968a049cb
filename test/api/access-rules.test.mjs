import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccessRules, RuleError } from '../../dist/index.js';

const HASH = '$2y$05$3ZJh66gnv1rh.1QkrYTqXOebHDUyguToGftpedi4LqXYL8XcUGMDG'; // htpasswd -nbB u pass

const seg = (path) => path.split('/').filter(Boolean);

test('a login rule with several paths and access levels', () => {
  const rules = new AccessRules([`alice:${HASH}@/:ro,/shared:rw,/shared/archive`]);
  assert.equal(rules.accessAt('alice', seg('/readme.txt')), 'read');
  assert.equal(rules.accessAt('alice', seg('/shared/x/y.txt')), 'write');
  assert.equal(rules.accessAt('alice', seg('/shared/archive/2020.zip')), 'read', 'the deeper rule wins, and :ro is the default');
  assert.equal(rules.accessAt(null, seg('/readme.txt')), 'none', 'a login rule does nothing for anonymous users');
  assert.equal(rules.accessAt('mallory', seg('/readme.txt')), 'none');
  assert.equal(rules.writes, true);
  assert.deepEqual(rules.plainPasswordUsers, []);
});

test('anonymous rules, and a login gets the better of its own and anonymous access', () => {
  const rules = new AccessRules(['@/:rw,/archive:ro', 'bob:pw@/archive:rw']);
  assert.equal(rules.accessAt(null, seg('/a.txt')), 'write');
  assert.equal(rules.accessAt(null, seg('/archive/a.txt')), 'read');
  assert.equal(rules.accessAt('bob', seg('/archive/a.txt')), 'write');
  assert.equal(rules.accessAt('bob', seg('/a.txt')), 'write', 'logging in never takes anonymous rights away');
  assert.deepEqual(rules.plainPasswordUsers, ['bob']);
});

test('folders that only lead to a readable path are index-only', () => {
  const rules = new AccessRules(['@/pub/docs:ro']);
  assert.equal(rules.accessAt(null, []), 'index');
  assert.equal(rules.accessAt(null, seg('/pub')), 'index');
  assert.equal(rules.accessAt(null, seg('/pub/docs')), 'read');
  assert.equal(rules.accessAt(null, seg('/pub/other')), 'none');
  assert.equal(rules.accessAt(null, seg('/private')), 'none');
});

test('segments match whole: /doc does not cover /docs', () => {
  const rules = new AccessRules(['@/doc:rw']);
  assert.equal(rules.accessAt(null, seg('/doc/a')), 'write');
  assert.equal(rules.accessAt(null, seg('/docs/a')), 'none');
  assert.equal(rules.accessAt(null, seg('/doc')), 'write');
});

test('rules for the same user combine; with another secret they are refused', () => {
  const rules = new AccessRules([`carol:${HASH}@/a`, `carol:${HASH}@/b:rw`]);
  assert.equal(rules.accessAt('carol', seg('/a/x')), 'read');
  assert.equal(rules.accessAt('carol', seg('/b/x')), 'write');
  assert.throws(() => new AccessRules(['carol:one@/a', 'carol:two@/b']), /carol:\*\*\*@\/b.*another secret/);
  assert.throws(() => new AccessRules(['@/a', '@/a:rw']), /already given/);
});

test('readOnly() turns every :rw into :ro', () => {
  const rules = new AccessRules(['@/:rw', 'dan:pw@/x:rw']);
  rules.readOnly();
  assert.equal(rules.writes, false);
  assert.equal(rules.accessAt('dan', seg('/x/y')), 'read');
  assert.equal(rules.accessAt(null, seg('/y')), 'read');
});

test('a plain password may contain "@" and ":"', () => {
  const rules = new AccessRules(['erin:p@ss:w0rd@/']);
  assert.equal(rules.logins.get('erin').secret.password, 'p@ss:w0rd');
});

test('bad rules are one-line errors that name the rule and hide the secret', () => {
  const cases = [
    ['alice:pw', /invalid rule "alice:pw": expected USER:SECRET@PATH/],
    ['alice:s3cret@/x:rx', /invalid rule "alice:\*\*\*@\/x:rx": unknown access ":rx"/],
    ['alice@/x', /expected USER:SECRET before "@"/],
    [':pw@/x', /user name is empty/],
    ['alice:@/x', /secret is empty/],
    ['@/a/../b', /"\/a\/\.\.\/b" may not contain/],
    ['@/a,b', /path "b" must start with "\/"/],
    ['@/a,/a:rw', /path \/a is given twice/],
    ['alice:$2y$05$short@/', /not a valid \$2a\$\/\$2b\$\/\$2y\$ hash/],
    ['', /expected USER:SECRET@PATH/],
  ];
  for (const [rule, expected] of cases) {
    assert.throws(
      () => new AccessRules([rule]),
      (error) => {
        assert.ok(error instanceof RuleError, rule);
        assert.match(error.message, expected);
        assert.doesNotMatch(error.message, /\n/);
        if (rule.includes('s3cret')) assert.doesNotMatch(error.message, /s3cret/);
        return true;
      },
      rule,
    );
  }
});

test('tree access: the weakest access at or below a path, over the user\'s and the anonymous rules', () => {
  const rules = new AccessRules(['@/:rw,/archive:ro', 'alice:pw@/archive/2026:rw']);
  assert.equal(rules.treeAccessAt(null, seg('/docs')), 'write');
  assert.equal(rules.treeAccessAt(null, []), 'read', 'the read-only /archive lies below /');
  assert.equal(rules.treeAccessAt('alice', seg('/archive/2026')), 'write');
  assert.equal(rules.treeAccessAt('alice', seg('/archive')), 'read');
  assert.equal(rules.accessAt(null, []), 'write', 'writing the name itself stays allowed');
});
