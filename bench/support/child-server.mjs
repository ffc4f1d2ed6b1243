// Runs a server script in its own Node process, so the load generator and the server under test
// don't share one event loop. The protocol is one IPC message: {type:'ready', ...} or {type:'error'}.
import { fork } from 'node:child_process';

/**
 * @typedef {object} ChildServer
 * @property {Record<string, any>} info  the `ready` message (url and whatever the script reports)
 * @property {number} pid
 * @property {() => Promise<void>} stop  SIGTERM, then SIGKILL after a grace period
 */

/**
 * @param {string} script absolute path of the server script
 * @param {{ env?: Record<string, string>, execArgv?: string[], readyTimeoutMs?: number }} [options]
 *   execArgv: Node flags for the child, e.g. ['--cpu-prof'] to see where a server spends its time
 * @returns {Promise<ChildServer>}
 */
export async function startChildServer(script, options = {}) {
  const child = fork(script, [], {
    execArgv: options.execArgv ?? [],
    env: { ...process.env, ...options.env },
    // The child's stdout goes to our stderr: stdout carries only the benchmarks' JSON lines.
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    let timer;
    const info = await new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${script} not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
      child.on('message', (message) => {
        if (message?.type === 'ready') resolve(message);
        else if (message?.type === 'error') reject(new Error(`${script}: ${message.message}`));
      });
      child.once('error', reject);
      exited.then(({ code, signal }) => reject(new Error(`${script} exited before it was ready (${signal ?? code})`)));
    }).finally(() => clearTimeout(timer));
    return { info, pid: /** @type {number} */ (child.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The child side: report readiness (or the error that prevented it) and stop on SIGTERM or when the
 * parent goes away.
 * @param {() => Promise<{ info: Record<string, unknown>, close: () => Promise<void> }>} start
 */
export async function serveAsChild(start) {
  let close = async () => {};
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    try {
      await close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', shutdown);
  process.on('disconnect', shutdown);
  try {
    const started = await start();
    close = started.close;
    process.send?.({ type: 'ready', ...started.info });
  } catch (error) {
    closing = true;
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (process.send) process.send({ type: 'error', message }, () => process.exit(1));
    else {
      console.error(message);
      process.exit(1);
    }
  }
}
