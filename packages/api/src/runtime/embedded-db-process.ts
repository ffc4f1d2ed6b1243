import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnNode } from './child-processes.js';
import { StartupError } from './startup-error.js';

export interface EmbeddedDbProcess {
  url: string;
  child: ChildProcess;
}

/**
 * Starts bin/embedded-db in its own process group (a terminal's Ctrl-C must not stop the database
 * before the processes that use it). It stops when this process dies.
 */
export function startEmbeddedDbProcess(env: NodeJS.ProcessEnv): Promise<EmbeddedDbProcess> {
  const entry = fileURLToPath(new URL('../bin/embedded-db.js', import.meta.url));
  const child = spawnNode(entry, env, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { url?: string }) => {
      if (message.url) resolve({ url: message.url, child });
      else reject(new Error('embedded database process sent no URL'));
    });
    // Its own message (printed above) says what went wrong.
    child.once('exit', () => reject(new StartupError('The embedded PostgreSQL did not start.')));
  });
}
