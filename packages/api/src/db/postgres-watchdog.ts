import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Runs in its own small process: holds the read end of a pipe from the process that owns the
 * embedded PostgreSQL. When that owner dies in any way (crash, SIGKILL), the pipe closes and the
 * watchdog stops the server (fast shutdown), so no PostgreSQL outlives its owner.
 */
const WATCHDOG = `
const pid = Number(process.argv[1]);
const stopServer = () => { try { process.kill(pid, 'SIGINT'); } catch {} process.exit(0); };
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', stopServer).on('error', stopServer).resume();
`;

export interface Watchdog {
  /** The owner stops the server itself: the watchdog just leaves. */
  dismiss(): void;
}

export function startWatchdog(postmasterPid: number): Watchdog {
  const child: ChildProcess = spawn(process.execPath, ['-e', WATCHDOG, String(postmasterPid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    // Its own session: a terminal's Ctrl-C or hang-up does not reach it.
    detached: true,
  });
  // Neither the process nor the pipe keeps the owner's event loop alive.
  child.unref();
  (child.stdin as Socket | null)?.unref();
  return { dismiss: () => void child.kill('SIGTERM') };
}
