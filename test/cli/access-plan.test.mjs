// Which rules are in force for which address and flags, and what the start-up line says.
// (Tests may not bind other than loopback addresses, so the non-loopback defaults are checked here.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessPlan } from '../../dist/cli/access.js';
import { parseCommand } from '../../dist/cli/options.js';
import { startupLine } from '../../dist/cli/serve.js';

const optionsOf = (...args) => {
  const command = parseCommand(['--directory', '/srv', ...args], {});
  assert.equal(command.kind, 'serve');
  return command.options;
};
const addresses = [{ host: '0.0.0.0', port: 4221 }];

test('loopback: read-write by default, read-only with --read-only', () => {
  for (const host of ['localhost', '127.0.0.1', '::1']) {
    const plan = accessPlan(optionsOf('--host', host));
    assert.equal(plan.loopback, true, host);
    assert.equal(plan.mode, 'read-write', host);
    assert.equal(plan.rules.accessAt(null, ['a.txt']), 'write');
  }
  assert.equal(accessPlan(optionsOf('--read-only')).mode, 'read-only');
});

test('other addresses: read-only unless --allow-write or a rule grants writes', () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.5', 'files.example.com']) {
    const plan = accessPlan(optionsOf('--host', host));
    assert.equal(plan.loopback, false, host);
    assert.equal(plan.mode, 'read-only', host);
    assert.equal(plan.rules.accessAt(null, ['a.txt']), 'read');
  }
  assert.equal(accessPlan(optionsOf('--host', '0.0.0.0', '--allow-write')).mode, 'read-write');
  assert.equal(accessPlan(optionsOf('--host', '0.0.0.0', '--auth', 'alice:pw@/:rw')).mode, 'read-write');
  assert.equal(accessPlan(optionsOf('--host', '0.0.0.0', '--auth', 'alice:pw@/:rw', '--read-only')).mode, 'read-only');
  assert.throws(() => optionsOf('--read-only', '--allow-write'), /contradict/);
  assert.throws(() => accessPlan(optionsOf('--allow-write', '--auth', '@/')), /--allow-write is for servers without --auth/);
});

test('the start-up line says the mode and warns about Basic auth in clear off loopback without TLS', () => {
  const line = startupLine(addresses, optionsOf('--host', '0.0.0.0'));
  assert.match(line, /^wirehttp listening on 0\.0\.0\.0:4221 \(http\), serving \/srv, read-only\n/);
  assert.doesNotMatch(line, /warning/);
  const exposed = startupLine(addresses, optionsOf('--host', '0.0.0.0', '--auth', `alice:$2y$05$${'a'.repeat(53)}@/:rw`));
  assert.match(exposed, /read-write \(1 logins by --auth rules\)\n/);
  assert.match(exposed, /^wirehttp: warning: Basic auth sends passwords in clear text/m);
  const withTls = startupLine(addresses, optionsOf('--host', '0.0.0.0', '--auth', 'alice:pw@/', '--tls-cert', 'c', '--tls-key', 'k'));
  assert.doesNotMatch(withTls, /clear text/);
  assert.match(withTls, /password of alice is given in plain text/);
  assert.doesNotMatch(startupLine(addresses, optionsOf('--auth', 'alice:pw@/')), /clear text/, 'loopback: nobody else listens in');
});

test('repeatable flags and their variables', () => {
  const fromEnv = parseCommand(['--directory', '/srv'], { WIREHTTP_AUTH: '@/pub  alice:pw@/:rw', WIREHTTP_CORS: 'https://a.example https://b.example' });
  assert.deepEqual(fromEnv.options.auth, ['@/pub', 'alice:pw@/:rw']);
  assert.deepEqual(fromEnv.options.cors, ['https://a.example', 'https://b.example']);
  const flagsWin = parseCommand(['--auth', '@/x'], { WIREHTTP_AUTH: '@/y' });
  assert.deepEqual(flagsWin.options.auth, ['@/x']);
  assert.equal(parseCommand(['--cors', '*'], {}).options.cors, '*');
  assert.throws(() => parseCommand(['--cors', '*', '--cors', 'https://a.example'], {}), /give it alone/);
  assert.throws(() => parseCommand(['--cors-write'], {}), /needs --cors/);
  assert.deepEqual(parseCommand(['--allowed-hosts', 'a.example, *.b.example'], {}).options.allowedHosts, ['a.example', '*.b.example']);
});

test('--cors * with --cors-write is warned about when anything is writable', () => {
  assert.match(accessPlan(optionsOf('--cors', '*', '--cors-write')).warnings.join('\n'), /any web page/);
  assert.deepEqual(accessPlan(optionsOf('--cors', '*', '--cors-write', '--read-only')).warnings, []);
  assert.deepEqual(accessPlan(optionsOf('--cors', 'https://app.example', '--cors-write')).warnings, []);
});
