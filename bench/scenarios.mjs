// The benchmark scenarios and the targets wirehttp is held to, each relative to a reference
// server measured in the same round (node:http unless `reference` names another).
//
// kind 'wrk': a wrk load test, CPU per request. kind 'upload': a wrk upload, CPU per request.
// kind 'chunked': chunked uploads from bench/chunked-client.mjs, CPU per MiB of body.
// kind 'idle': RSS per held connection. kind 'workers': wirehttp --workers 1 vs 2.
// `app: 'hono'` scenarios are served by the Hono servers only, `app: 'drain'` ones by the two
// drain-only servers (and the floor); the others by every server but those.
// A scenario's target bounds one paired ratio of wirehttp against the reference (no target: shown
// only): `cpuRatioTarget` its CPU, `p99RatioTarget` its p99 latency (the CPU ratio is then shown).
// `framingFactorTarget` (1-byte chunks) bounds CPU per MiB against the 64 KiB-chunk cost plus
// the framing's (framingTarget in bench/results.mjs).

const KiB = 1024;
const MiB = 1024 * KiB;

/** Chunked-upload scenarios: the same body in chunks of `chunk` bytes. */
const chunked = (suffix, chunk, target = {}) => ({
  id: `upload-chunked-${suffix}`,
  kind: 'chunked',
  title: `POST 256 KiB bodies in ${suffix === '64k' ? '64 KiB' : `${chunk}-byte`} chunks, 2 connections`,
  bodyBytes: 256 * KiB,
  chunkBytes: chunk,
  // Two connections keep the server busy; more would only lengthen the wait for the uploads in
  // flight at the end, which with 1-byte chunks can take seconds each.
  connections: 2,
  reference: 'node-http-durable',
  ...target,
});

export const SCENARIOS = [
  { id: 'echo', kind: 'wrk', title: 'GET /echo/hello, keep-alive, 64 connections', path: '/echo/hello', script: 'get.lua', connections: 64 },
  {
    id: 'echo-256',
    kind: 'wrk',
    title: 'GET /echo/hello, keep-alive, 256 connections',
    path: '/echo/hello',
    script: 'get.lua',
    connections: 256,
    cpuRatioTarget: 0.5,
  },
  {
    id: 'echo-512',
    kind: 'wrk',
    title: 'GET /echo/hello, keep-alive, 512 connections',
    path: '/echo/hello',
    script: 'get.lua',
    connections: 512,
    p99RatioTarget: 1,
  },
  {
    id: 'pipelined',
    kind: 'wrk',
    title: 'GET /echo/hello, pipelined 16 deep, 64 connections',
    path: '/echo/hello',
    script: 'pipeline.lua',
    pipeline: 16,
    connections: 64,
    cpuRatioTarget: 0.1,
  },
  { id: 'file-0', kind: 'wrk', title: 'GET /files/0.bin (empty), 64 connections', path: '/files/0.bin', script: 'get.lua', connections: 64 },
  { id: 'file-4k', kind: 'wrk', title: 'GET /files/4k.bin, 64 connections', path: '/files/4k.bin', script: 'get.lua', connections: 64, cpuRatioTarget: 0.1 },
  { id: 'file-64k', kind: 'wrk', title: 'GET /files/64k.bin, 64 connections', path: '/files/64k.bin', script: 'get.lua', connections: 64 },
  { id: 'file-1m', kind: 'wrk', title: 'GET /files/1m.bin, 64 connections', path: '/files/1m.bin', script: 'get.lua', connections: 64, cpuRatioTarget: 0.2 },
  { id: 'file-16m', kind: 'wrk', title: 'GET /files/16m.bin, 16 connections', path: '/files/16m.bin', script: 'get.lua', connections: 16 },
  {
    id: 'upload-1m',
    kind: 'upload',
    title: 'POST /files/upload-{1..16}, 1 MiB bodies, 16 connections',
    path: '/files/upload-1',
    script: 'upload.lua',
    connections: 16,
    bodyBytes: MiB,
    reference: 'node-http-durable',
    cpuRatioTarget: 0.8,
  },
  {
    id: 'upload-1m-drain',
    kind: 'upload',
    app: 'drain',
    title: 'POST 1 MiB bodies, 16 connections, read and dropped: wirehttp as a library vs node:http',
    path: '/files/upload-1',
    script: 'upload.lua',
    connections: 16,
    bodyBytes: MiB,
    reference: 'node-http-drain',
    cpuRatioTarget: 0.7,
  },
  // CPU per MiB at most 1.5 × (the 64 KiB-chunk cost + what the framing costs the floor).
  chunked('1', 1, { framingFactorTarget: 1.5 }),
  chunked('16', 16),
  chunked('64k', 64 * KiB),
  {
    id: 'hono',
    kind: 'wrk',
    app: 'hono',
    title: 'Hono app: GET /hono/json/42, /hono/text, /hono/static/4k.bin in turn, 64 connections',
    paths: ['/hono/json/42', '/hono/text', '/hono/static/4k.bin'],
    script: 'hono.lua',
    connections: 64,
    reference: 'hono-node',
    cpuRatioTarget: 0.6,
  },
  {
    id: 'idle-10k',
    kind: 'idle',
    title: '10,000 idle keep-alive connections (one request each)',
    path: '/echo/hello',
    rssPerConnectionTargetKib: 3.5,
  },
  {
    id: 'workers',
    kind: 'workers',
    title: 'GET /echo/hello, keep-alive, 64 connections: wirehttp --workers 1 vs 2, unpinned',
    path: '/echo/hello',
    script: 'get.lua',
    connections: 64,
  },
];

/** The server whose CPU is the denominator of a scenario's ratios. */
export const referenceOf = (scenario) => scenario.reference ?? 'node-http';

/**
 * The scenario's target for its subject: which paired ratio it bounds (`ratio`, a key of the
 * ratios in bench/results.mjs), its name in the report, and the bound; null when it has none.
 */
export function targetOf(scenario) {
  if (scenario.cpuRatioTarget !== undefined) return { ratio: 'cpu', label: 'CPU', atMost: scenario.cpuRatioTarget };
  if (scenario.p99RatioTarget !== undefined) return { ratio: 'p99', label: 'p99', atMost: scenario.p99RatioTarget };
  return null;
}

/** True for scenarios that send request bodies. */
export const isUpload = (scenario) => scenario.kind === 'upload' || scenario.kind === 'chunked';

/** The files every server serves, created in the benchmark directory. */
export const FILES = { '0.bin': 0, '4k.bin': 4 * KiB, '64k.bin': 64 * KiB, '1m.bin': MiB, '16m.bin': 16 * MiB };

/** What the Hono app answers on each path of the `hono` scenario (`file` names one of FILES). */
export const HONO_ANSWERS = {
  '/hono/json/42': { text: '{"id":"42","ok":true}' },
  '/hono/text': { text: 'hello' },
  '/hono/static/4k.bin': { file: '4k.bin' },
};
