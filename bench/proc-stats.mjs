// Reads a server's CPU time and memory from /proc, summed over the process and its descendants
// (nginx workers, cluster workers), so a wrapper or master process never hides the real work.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** Fields of /proc/PID/stat after the command name (which may contain spaces), or null if gone. */
function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** `pid` and every live descendant of it. */
export function processTree(pid) {
  const childrenOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields === null) continue;
    const parent = Number(fields[1]); // field 4 of stat: ppid
    if (!childrenOf.has(parent)) childrenOf.set(parent, []);
    childrenOf.get(parent).push(Number(entry));
  }
  const tree = [];
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop();
    tree.push(next);
    pending.push(...(childrenOf.get(next) ?? []));
  }
  return tree;
}

/** utime + stime of the tree, in microseconds (all threads of each process are included). */
export function cpuMicros(pid) {
  let ticks = 0;
  for (const member of processTree(pid)) {
    const fields = statFields(member);
    if (fields !== null) ticks += Number(fields[11]) + Number(fields[12]); // stat fields 14 and 15
  }
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
}

function statusKib(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

/** Current resident set of the tree, KiB. */
export function rssKib(pid) {
  return processTree(pid).reduce((sum, member) => sum + statusKib(member, 'VmRSS'), 0);
}

/** Peak resident set (VmHWM) of the tree since start or the last resetPeakRss, KiB. */
export function peakRssKib(pid) {
  return processTree(pid).reduce((sum, member) => sum + statusKib(member, 'VmHWM'), 0);
}

/** Restarts VmHWM from the current RSS (Linux >= 4.0), so warm-up does not count. */
export function resetPeakRss(pid) {
  for (const member of processTree(pid)) {
    try {
      writeFileSync(`/proc/${member}/clear_refs`, '5');
    } catch {
      // not permitted or already gone: the peak then includes warm-up
    }
  }
}

/** Bytes the process tree has passed to write()-family syscalls, sockets included. */
export function bytesWritten(pid) {
  let total = 0;
  for (const member of processTree(pid)) {
    try {
      total += Number(/^wchar:\s+(\d+)/m.exec(readFileSync(`/proc/${member}/io`, 'utf8'))[1]);
    } catch {
      // gone, or /proc/PID/io unavailable
    }
  }
  return total;
}

/**
 * CPU time used by every process outside `excludedRoot`'s tree (children they reaped included):
 * the rest of the machine competing with the measurement.
 */
export function otherProcessesCpuMicros(excludedRoot = process.pid) {
  const excluded = new Set(processTree(excludedRoot));
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry) || excluded.has(Number(entry))) continue;
    const fields = statFields(entry);
    if (fields !== null) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU time of this process's children that have exited and been waited for (cutime + cstime of
 * /proc/self/stat): across one wrk or load-client run, the load generator's CPU time.
 */
export function exitedChildrenCpuMicros() {
  const fields = statFields('self');
  return fields === null ? NaN : ((Number(fields[13]) + Number(fields[14])) * 1e6) / CLOCK_TICKS_PER_SECOND;
}
