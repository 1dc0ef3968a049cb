// The benchmark scenarios and the targets wirehttp is held to (relative to node:http in the same run).

/** kind 'wrk': a load test; `cpuRatioTarget` caps wirehttp's CPU µs/request over node:http's. */
export const SCENARIOS = [
  {
    id: 'echo',
    kind: 'wrk',
    title: 'GET /echo/hello, keep-alive, 64 connections',
    path: '/echo/hello',
    script: 'get.lua',
    connections: 64,
    cpuRatioTarget: 0.65,
  },
  {
    id: 'pipelined',
    kind: 'wrk',
    title: 'GET /echo/hello, pipelined 16 deep, 64 connections',
    path: '/echo/hello',
    script: 'pipeline.lua',
    pipeline: 16,
    connections: 64,
    cpuRatioTarget: 0.15,
  },
  {
    id: 'file-4k',
    kind: 'wrk',
    title: 'GET /files/4k.bin, 64 connections',
    path: '/files/4k.bin',
    script: 'get.lua',
    connections: 64,
    cpuRatioTarget: 0.3,
  },
  {
    id: 'file-1m',
    kind: 'wrk',
    title: 'GET /files/1m.bin, 64 connections',
    path: '/files/1m.bin',
    script: 'get.lua',
    connections: 64,
    cpuRatioTarget: 0.5,
  },
  {
    id: 'upload-1m',
    kind: 'upload',
    title: 'POST /files/upload-{1..16}, 1 MiB bodies, 16 connections',
    path: '/files/upload-1',
    script: 'upload.lua',
    connections: 16,
    cpuRatioTarget: 0.7,
  },
  {
    id: 'idle-10k',
    kind: 'idle',
    title: '10,000 idle keep-alive connections (one request each)',
    rssPerConnectionTargetKib: 3,
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

/** The files every server serves, created in the benchmark directory. */
export const FILES = { '4k.bin': 4 * 1024, '1m.bin': 1024 * 1024 };
