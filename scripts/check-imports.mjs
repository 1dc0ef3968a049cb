#!/usr/bin/env node
// Checks the import graph of src/ (type-only imports included, since they tie modules together
// just as much for a reader): no cycles, and each layer imports only from the layers below it
// (DEVELOPERS.md): protocol < server < api and src/index.ts < app < cli. The built-in app goes
// through the public API only: outside src/app/ it imports src/index.ts and nothing else.
// Exits 1 and names every offending import when a rule is broken.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const LAYERS = ['protocol', 'server', 'api', 'app', 'cli'];
const API = LAYERS.indexOf('api');

// Static `import ... from`, `export ... from`, side-effect `import '...'` and dynamic `import('...')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports of `file`, resolved to the .ts files they name. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const targets = [];
  for (const [, specifier] of text.matchAll(SPECIFIER)) {
    if (!specifier.startsWith('.')) continue;
    targets.push(path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'));
  }
  return targets;
}

const rel = (file) => path.relative(SRC, file).split(path.sep).join('/');

/** Layer index of a source file: its top folder, or for files at the top, index.ts = api and cli.ts = cli. */
function layerOf(file) {
  const name = rel(file);
  const top = name.includes('/') ? name.slice(0, name.indexOf('/')) : name.replace(/\.ts$/, '');
  if (top === 'index') return API;
  const layer = LAYERS.indexOf(top);
  if (layer === -1) throw new Error(`check-imports: ${name} is in no known layer (${LAYERS.join(', ')})`);
  return layer;
}

const files = sourceFiles(SRC).sort();
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const problems = [];

for (const [file, targets] of graph) {
  for (const target of targets) {
    if (!graph.has(target)) {
      problems.push(`${rel(file)} imports ${rel(target)}, which does not exist`);
      continue;
    }
    const from = layerOf(file);
    const to = layerOf(target);
    if (to > from) {
      problems.push(`${rel(file)} (${LAYERS[from]}) imports ${rel(target)} from the layer above (${LAYERS[to]})`);
    } else if (LAYERS[from] === 'app' && to < from && rel(target) !== 'index.ts') {
      problems.push(`${rel(file)} (app) imports ${rel(target)}; the app uses only the public API, src/index.ts`);
    }
  }
}

// Cycles: a depth-first search reports each back edge with the path that closes it.
const state = new Map(); // file -> 'open' while on the stack, 'done' after
const stack = [];
function visit(file) {
  state.set(file, 'open');
  stack.push(file);
  for (const target of graph.get(file) ?? []) {
    if (!graph.has(target)) continue;
    if (state.get(target) === 'open') {
      const cycle = stack.slice(stack.indexOf(target)).concat(target);
      problems.push(`import cycle: ${cycle.map(rel).join(' -> ')}`);
    } else if (!state.has(target)) {
      visit(target);
    }
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of files) if (!state.has(file)) visit(file);

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-imports: ${problem}`);
  process.exit(1);
}
