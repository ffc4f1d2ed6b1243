import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** Preloaded into each child: it stops itself when the process that started it dies. */
const EXIT_WITH_PARENT = pathToFileURL(new URL('../bin/exit-with-parent.js', import.meta.url).pathname).href;

/** Runs a Node entry point as a child that stops when this process dies, even by SIGKILL. */
export function spawnNode(
  entry: string,
  env: NodeJS.ProcessEnv,
  options: { stdio?: StdioOptions; detached?: boolean } = {},
) {
  return spawn(process.execPath, ['--import', EXIT_WITH_PARENT, entry], {
    env,
    stdio: options.stdio ?? ['ignore', 'inherit', 'inherit'],
    detached: options.detached ?? false,
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The processes `pnpm start` runs; an unexpected exit of one is reported once. */
export class ChildProcesses {
  private readonly children: { name: string; child: ChildProcess }[] = [];
  private stopping = false;

  constructor(private readonly onUnexpectedExit: (name: string, code: number | string | null) => void) {}

  start(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawnNode(entry, env);
    child.on('error', (error) => console.error(`[${name}] failed to start:`, error.message));
    child.on('exit', (code, signal) => {
      if (!this.stopping) this.onUnexpectedExit(name, code ?? signal);
    });
    this.children.push({ name, child });
    return child;
  }

  running(): boolean {
    return this.children.every(({ child }) => child.exitCode === null && child.signalCode === null);
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.children.map(({ child }) => stopChild(child)));
  }
}
