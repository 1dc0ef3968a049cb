// Many uploads racing to create one new name: each succeeds (the last to finish wins) or gets a
// precondition status, never 404, and the stored file is one whole upload.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startFileServer } from './file-server.mjs';

const WRITERS = 50;
const ROUNDS = 8;

let dir;
let server;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-race-'));
  server = await startFileServer(['--directory', dir, '--quiet']);
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

for (const method of ['PUT', 'POST']) {
  test(`${WRITERS} concurrent ${method}s to one new name, ${ROUNDS} rounds: no 404, one whole upload stored`, async () => {
    const statuses = new Map();
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate a name in the served directory and one in a folder the uploads create.
      const name = round % 2 === 0 ? `${method}-race-${round}.txt` : `${method}-folder-${round}/race.txt`;
      const bodies = Array.from({ length: WRITERS }, (_, i) => `writer ${i} `.repeat(200 + i));
      const results = await Promise.all(
        bodies.map((body) =>
          fetch(`http://127.0.0.1:${server.port}/files/${name}`, { method, body }).then(async (res) => {
            await res.arrayBuffer();
            return res.status;
          }),
        ),
      );
      for (const status of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const stored = await readFile(path.join(dir, name), 'utf8');
      assert.ok(bodies.includes(stored), `round ${round}: the stored file is one whole upload`);
    }
    const summary = JSON.stringify(Object.fromEntries(statuses));
    for (const status of statuses.keys()) assert.ok([201, 204, 412].includes(status), `statuses: ${summary}`);
    const left = (await readdir(dir, { recursive: true })).filter((entry) => entry.includes('.wirehttp-upload-'));
    assert.deepEqual(left, [], 'no temporary file is left');
  });
}
