#!/usr/bin/env node
// Seeded, time-bounded fuzzer for the request parser and a live in-process server.
// Cases are random bytes or mutations of a corpus of valid requests. Checked:
//   parser: no exception, no endless event loop, only known error statuses, and the same
//           events whatever the split of the input (the sans-I/O contract);
//   server: every connection ends promptly with well-formed responses of known statuses,
//           no handler error, no unhandled rejection, bounded heap.
// `npm run fuzz` runs it for FUZZ_SECONDS (default 60) with FUZZ_SEED (default random);
// test/fuzz.test.mjs runs a short fixed-seed pass.
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Router, createServer } from '../dist/index.js';
import { ParseEvent, RequestParser } from '../dist/protocol/index.js';

const ERROR_STATUSES = new Set([400, 408, 413, 414, 417, 431, 501, 505]);
const RESPONSE_STATUSES = new Set([100, 200, 404, 405, ...ERROR_STATUSES]);
const BODY_LIMIT = 64 * 1024;

const CORPUS = [
  'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'GET /echo/x?y=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n',
  'POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello',
  'POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n',
  'PUT /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
  'GET http://a:80/abs?q HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n',
  'OPTIONS * HTTP/1.1\r\nHost: [::1]:80\r\n\r\n',
  'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
  'POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc',
  'DELETE /only-get HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
  '\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /y HTTP/1.1\r\nHost: a\r\n\r\n',
  'POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\nPOST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  // A body of 1-byte chunks, which the parser gathers into runs, then chunks around the run limit.
  `POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${'1\r\nX\r\n'.repeat(60)}0\r\n\r\n`,
  `PUT /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${'1\r\nX\r\n'.repeat(5)}400\r\n${'y'.repeat(1024)}\r\n${'2\r\nzz\r\n'.repeat(5)}401\r\n${'w'.repeat(1025)}\r\n1\r\nX\r\n0\r\n\r\n`,
];

const INTERESTING_BYTES = [0x0d, 0x0a, 0x20, 0x09, 0x00, 0x3a, 0x3b, 0x2c, 0x3d, 0x22, 0x5c, 0x7f, 0xff, 0x80, 0x30, 0x39, 0x61, 0x66, 0x2b, 0x2d];
const TOKENS = [
  'Transfer-Encoding: chunked\r\n', 'Content-Length: 5\r\n', 'Content-Length: 99999999999999999999\r\n', '\r\n', '\n',
  '\r', ' chunked', ', chunked', 'ffffffffffffffff', '0\r\n\r\n', 'Host: a\r\n', 'Expect: 100-continue\r\n',
  'Connection: close\r\n', 'HTTP/1.0', 'HTTP/2.0', ' HTTP/1.1', '%00', '#', '*', 'CONNECT a:1 ', ';x="y"', ' \t',
  '1\r\nX\r\n', '1\r\nX\r\n1\r\nY\r\n', 'Content_Length: 5\r\n', 'Content-Type: a\r\n', '\\', '%0a', '%0D', 'Content-Length: 007\r\n',
];

/** mulberry32: small, fast, seedable. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)] };
}

/** One fuzz case: random bytes or a stack of mutations of corpus requests. */
function makeCase(rng) {
  if (rng.next() < 0.05) {
    const bytes = Buffer.alloc(rng.int(300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.next() < 0.5 ? rng.int(256) : rng.pick(INTERESTING_BYTES);
    return bytes;
  }
  let buf = Buffer.from(rng.pick(CORPUS), 'latin1');
  if (rng.next() < 0.15) buf = Buffer.concat([buf, Buffer.from(rng.pick(CORPUS), 'latin1')]);
  const mutations = 1 + rng.int(4);
  for (let m = 0; m < mutations; m++) buf = mutate(rng, buf);
  return buf;
}

function mutate(rng, buf) {
  const at = rng.int(buf.length + 1);
  switch (rng.int(9)) {
    case 0: {
      const copy = Buffer.from(buf);
      if (copy.length > 0) copy[Math.min(at, copy.length - 1)] = rng.int(256);
      return copy;
    }
    case 1:
      return Buffer.concat([buf.subarray(0, at), Buffer.from([rng.pick(INTERESTING_BYTES)]), buf.subarray(at)]);
    case 2:
      return Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(buf.length, at + 1 + rng.int(8)))]);
    case 3:
      return Buffer.concat([buf.subarray(0, at), Buffer.from(rng.pick(TOKENS), 'latin1'), buf.subarray(at)]);
    case 4:
      return buf.subarray(0, at);
    case 5: {
      const text = buf.toString('latin1');
      const crlf = text.indexOf('\r\n', at);
      return crlf < 0 ? buf : Buffer.from(text.slice(0, crlf) + '\n' + text.slice(crlf + 2), 'latin1');
    }
    case 6: {
      const lines = buf.toString('latin1').split('\r\n');
      const i = rng.int(lines.length);
      lines.splice(rng.int(lines.length), 0, lines[i]);
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
    case 7: {
      const lines = buf.toString('latin1').split('\r\n');
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
    default:
      return Buffer.concat([buf.subarray(0, at), Buffer.from(String(rng.int(1e6)), 'latin1'), buf.subarray(at)]);
  }
}

/** Splits `buf` at up to `pieces - 1` random points. */
function split(rng, buf, pieces) {
  const cuts = Array.from({ length: pieces - 1 }, () => rng.int(buf.length + 1)).sort((a, b) => a - b);
  const out = [];
  let from = 0;
  for (const cut of [...cuts, buf.length]) {
    out.push(buf.subarray(from, cut));
    from = cut;
  }
  return out;
}

/** Tiny limits half of the time, so that cases reach every limit's boundary. */
function fuzzLimits(rng) {
  if (rng.next() < 0.5) return { maxBodyBytes: BODY_LIMIT };
  return {
    maxRequestLineBytes: 10 + rng.int(40),
    maxHeaderBytes: rng.int(80),
    maxHeaderCount: rng.int(6),
    maxBodyBytes: rng.int(20),
    maxChunkLineBytes: 1 + rng.int(20),
    maxTrailerBytes: rng.int(40),
    maxLeadingEmptyLines: rng.int(3),
  };
}

/** Parser events for `pieces`, with Data merged per request; throws on any contract breach. */
function parserEvents(pieces, limits) {
  const parser = new RequestParser(limits);
  const events = [];
  let body = null;
  let fed = 0;
  for (const piece of pieces) {
    parser.feed(piece);
    fed += piece.length;
    for (let steps = 0; ; steps++) {
      if (steps > fed + 1000) throw new Error('parser keeps producing events without input');
      const event = parser.next();
      if (event === ParseEvent.NeedData) break;
      if (event === ParseEvent.Data) {
        if (parser.chunk.length === 0) throw new Error('empty Data event');
        (body ??= []).push(Buffer.from(parser.chunk).toString('latin1'));
        continue;
      }
      if (body !== null) events.push(`data:${body.join('')}`);
      body = null;
      if (event === ParseEvent.Head) {
        const h = parser.head;
        events.push(`head:${h.method} ${h.target} ${h.versionMinor} ${h.contentLength} ${h.chunked} ${h.fields.join('|')}`);
      } else if (event === ParseEvent.End) {
        events.push('end');
      } else {
        if (!ERROR_STATUSES.has(parser.error.status)) throw new Error(`unexpected status ${parser.error.status}`);
        // The status must not depend on the split; the message may name another of several faults.
        events.push(`error:${parser.error.status}`);
        return events;
      }
    }
  }
  if (body !== null) events.push(`data:${body.join('')}`);
  return events;
}

function fuzzParser(rng, until) {
  let cases = 0;
  while (Date.now() < until) {
    for (let batch = 0; batch < 50; batch++) {
      const input = makeCase(rng);
      const limits = fuzzLimits(rng);
      const whole = parserEvents([input], limits).join('\n');
      const pieces = split(rng, input, 2 + rng.int(6));
      const parts = parserEvents(pieces, limits).join('\n');
      if (whole !== parts) {
        throw new Error(
          `split changes the events for ${JSON.stringify(input.toString('latin1'))} with ${JSON.stringify(limits)}:\n${whole}\n---\n${parts}`,
        );
      }
      cases++;
    }
  }
  return cases;
}

/** Sends one case on a fresh connection, half-closes, and collects until the server closes. */
function sendCase(port, pieces) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('server did not close the connection within 5 s'));
    }, 5000);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {}); // a reset after the last response is acceptable
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.on('connect', () => {
      for (const piece of pieces) socket.write(piece);
      socket.end();
    });
  });
}

/** Checks that `raw` is a sequence of complete, well-formed responses; returns their count. */
function checkResponses(raw) {
  let pos = 0;
  let count = 0;
  while (pos < raw.length) {
    const headEnd = raw.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) throw new Error(`truncated response: ${JSON.stringify(raw.subarray(pos).toString('latin1'))}`);
    const head = raw.subarray(pos, headEnd).toString('latin1');
    const status = Number(/^HTTP\/1\.1 (\d{3}) [^\r\n]*/.exec(head)?.[1]);
    if (!RESPONSE_STATUSES.has(status)) throw new Error(`unexpected response: ${JSON.stringify(head)}`);
    if (status >= 200 && !/\r\nDate: /.test(head)) throw new Error(`response without Date: ${head}`);
    const length = /\r\nContent-Length: (\d+)/i.exec(head);
    pos = headEnd + 4;
    if (status >= 200) {
      if (length === null) throw new Error(`response without Content-Length: ${head}`);
      pos += Number(length[1]);
      if (pos > raw.length) throw new Error(`truncated body after ${JSON.stringify(head)}`);
    }
    count++;
  }
  return count;
}

async function fuzzServer(rng, until) {
  const handlerErrors = [];
  const router = new Router()
    .get('/only-get', (_req, res) => res.end('only-get'))
    .notFound(async (req, res) => {
      const body = await req.bytes(BODY_LIMIT);
      res.end(`${req.method} ${req.path} ${body.length}`);
    });
  const server = createServer(router.handle, {
    maxBodyBytes: BODY_LIMIT,
    headersTimeoutMs: 2000,
    onError: (error) => handlerErrors.push(error),
  });
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  let cases = 0;
  let responses = 0;
  try {
    while (Date.now() < until) {
      const batch = Array.from({ length: 8 }, () => {
        const input = makeCase(rng);
        return { input, pieces: split(rng, input, 1 + rng.int(3)) };
      });
      await Promise.all(
        batch.map(async ({ input, pieces }) => {
          const raw = await sendCase(port, pieces);
          try {
            responses += checkResponses(raw);
          } catch (error) {
            error.message += `\nfor input ${JSON.stringify(input.toString('latin1'))}`;
            throw error;
          }
        }),
      );
      cases += batch.length;
      if (handlerErrors.length > 0) throw new Error(`handler error: ${handlerErrors[0]}`);
    }
  } finally {
    await server.close(500);
  }
  return { cases, responses };
}

/** Heap in use after a full collection, in bytes. */
function collectedHeap() {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Runs both fuzzers for `seconds` in total. Resolves
 * { seed, parserCases, serverCases, serverResponses, heapGrowth } or rejects on the first failure.
 */
export async function runFuzz({ seconds, seed }) {
  const rejections = [];
  const onRejection = (reason) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    const rng = prng(seed);
    const heapBefore = collectedHeap();
    const start = Date.now();
    const half = start + (seconds * 1000) / 2;
    const parserCases = fuzzParser(rng, half);
    const { cases: serverCases, responses: serverResponses } = await fuzzServer(rng, start + seconds * 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (rejections.length > 0) throw new Error(`unhandled rejection: ${rejections[0]}`);
    const heapGrowth = collectedHeap() - heapBefore;
    return { seed, parserCases, serverCases, serverResponses, heapGrowth };
  } finally {
    process.off('unhandledRejection', onRejection);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
  console.log(`fuzzing for ${seconds} s with FUZZ_SEED=${seed}`);
  runFuzz({ seconds, seed }).then(
    (result) => {
      console.log(
        `ok: ${result.parserCases} parser cases, ${result.serverCases} server cases ` +
          `(${result.serverResponses} responses), heap growth ${(result.heapGrowth / 1024 / 1024).toFixed(1)} MiB`,
      );
    },
    (error) => {
      console.error(`FAILED with FUZZ_SEED=${seed}: ${error.stack ?? error}`);
      process.exitCode = 1;
    },
  );
}
