// The published types are the README's API and nothing more: the declarations reachable from
// dist/index.d.ts resolve, name none of the connection layer's internals, and a consumer can
// neither call the internal methods nor assign the read-only response state.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INDEX = path.join(ROOT, 'dist', 'index.d.ts');

const INTERNAL = [
  'pushBody', 'endBody', 'abortBody', 'bodyRequested', 'replaceWithError', 'abandon',
  'BodyController', 'ResponseSink', 'RequestHead', 'RequestParser', 'Connection', 'ConnectionContext',
  'listenOn', 'accept', 'bytesSent',
];

/** The .d.ts files reachable from `entry` through relative imports and re-exports, with their code (comments removed). */
function declarationClosure(entry) {
  const seen = new Map();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    assert.ok(existsSync(file), `${path.relative(ROOT, file)} is imported but missing`);
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    seen.set(file, code);
    for (const [, specifier] of code.matchAll(/from\s*['"](\.[^'"]+)['"]/g)) {
      pending.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.d.ts')));
    }
  }
  return seen;
}

test('the declarations reachable from index.d.ts name no internals', () => {
  const closure = declarationClosure(INDEX);
  const files = [...closure.keys()].map((file) => path.relative(path.join(ROOT, 'dist'), file)).sort();
  assert.ok(files.includes('server/request.d.ts') && files.includes('server/response.d.ts'), files.join(', '));
  for (const [file, declarations] of closure) {
    // A private member appears by name only, with no type; consumers cannot use it.
    const code = declarations.replace(/^\s*private (static )?(readonly )?\w+;$/gm, '');
    for (const name of INTERNAL) {
      assert.ok(!new RegExp(`\\b${name}\\b`).test(code), `${path.relative(ROOT, file)} declares or uses ${name}`);
    }
  }
  const response = closure.get(path.join(ROOT, 'dist', 'server', 'response.d.ts'));
  assert.match(response, /get headersSent\(\): boolean;/);
  assert.match(response, /get finished\(\): boolean;/);
  assert.doesNotMatch(response, /set (headersSent|finished)\b/);
});

test('a TypeScript consumer cannot reach the internals or assign the response state', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-types-'));
  try {
    const index = path.relative(dir, path.join(ROOT, 'dist', 'index.js')).split(path.sep).join('/');
    // Each line after the first must fail to compile, each for its own reason.
    const lines = [
      `import { createServer, type Request, type Response } from '${index}';`,
      `export function misuse(req: Request, res: Response): void {`,
      `  res.headersSent = true;`,
      `  res.finished = true;`,
      `  res.abandon();`,
      `  res.replaceWithError(500, 'x');`,
      `  req.pushBody(Buffer.alloc(1));`,
      `  void req.bodyRequested;`,
      `  createServer(() => {}).accept(null);`,
      `}`,
    ];
    await writeFile(path.join(dir, 'consumer.ts'), lines.join('\n'));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types')];
    const result = await promisify(execFile)(process.execPath, [tsc, ...flags, 'consumer.ts'], { cwd: dir }).then(
      () => ({ stdout: '' }),
      (error) => error,
    );
    const errors = result.stdout.split('\n').filter((line) => /error TS/.test(line));
    const lineOf = (error) => Number(/^consumer\.ts\((\d+),/.exec(error)?.[1]);
    assert.deepEqual(errors.map(lineOf), [3, 4, 5, 6, 7, 8, 9], result.stdout);
    assert.match(errors[0], /TS2540/, 'headersSent is read-only');
    assert.match(errors[1], /TS2540/, 'finished is read-only');
    assert.match(errors[6], /TS2341/, 'accept is private');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
