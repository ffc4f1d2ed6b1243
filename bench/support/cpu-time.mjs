// CPU seconds spent by processes (Linux /proc), to say where a multi-process run spends the machine.
// Elsewhere the figures are left out (an empty snapshot), and the benchmark still runs.
import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100;

async function ticks(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0; // gone (a backend that ended): its time is lost, which only under-reports
  }
}

/** Snapshot of CPU time per named group: `pids` as given, plus every process called `postgres`. */
export async function cpuSnapshot(pids) {
  const entries = await readdir('/proc').catch(() => null);
  if (!entries) return {};
  const snapshot = { postgres: 0 };
  for (const [name, pid] of Object.entries(pids)) snapshot[name] = await ticks(pid);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'postgres') snapshot.postgres += await ticks(entry);
  }
  return snapshot;
}

/** CPU seconds per group between two snapshots. */
export function cpuSecondsBetween(before, after) {
  return Object.fromEntries(
    Object.keys(after).map((k) => [k, Math.round(((after[k] - (before[k] ?? 0)) / TICKS_PER_SECOND) * 100) / 100]),
  );
}
