// What the benchmark runs on and against: the machine, the wirehttp build, the served directory.
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FILES } from './scenarios.mjs';
import { CLI } from './servers.mjs';

const output = (command, args, stream = 'stdout') => spawnSync(command, args, { encoding: 'utf8' })[stream]?.trim() ?? '';

/** The directory every server serves and stores into: tmpfs when there is room, so disks add no noise. */
export function makeBenchDirectory() {
  let base = os.tmpdir();
  try {
    const shm = statfsSync('/dev/shm');
    if (shm.bavail * shm.bsize > 512 * 1024 * 1024) base = '/dev/shm';
  } catch {
    // no /dev/shm: the system temporary directory it is
  }
  const dir = mkdtempSync(path.join(base, 'wirehttp-bench-'));
  for (const [name, size] of Object.entries(FILES)) writeFileSync(path.join(dir, name), randomFillSync(Buffer.alloc(size)));
  return dir;
}

/** Which wirehttp is measured: the git revision of the CLI's checkout (`-dirty` with edits in src/), else its path. */
function wirehttpRevision() {
  const checkout = path.join(path.dirname(CLI), '..');
  const head = spawnSync('git', ['-C', checkout, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return CLI;
  const dirty = output('git', ['-C', checkout, 'status', '--porcelain', '--untracked-files=no', '--', 'src']) !== '';
  return `${head.stdout.trim()}${dirty ? '-dirty' : ''}`;
}

export function describeMachine(serverIds) {
  return {
    nproc: os.cpus().length,
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
    node: process.version,
    kernel: os.release(),
    wrk: output('wrk', ['-v']).split(' Copyright')[0],
    nginx: serverIds.includes('nginx') ? output('nginx', ['-v'], 'stderr') : null,
    bun: serverIds.includes('bun') ? `Bun ${output('bun', ['--version'])}` : null,
    wirehttp: wirehttpRevision(),
  };
}

/** True when the CLI under test accepts --workers. */
export function workersFlagSupported() {
  return /--workers/.test(output(process.execPath, [CLI, '--help']));
}
