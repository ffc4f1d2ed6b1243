import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface EmbeddedDbProcess {
  url: string;
  child: ChildProcess;
}

/** Starts bin/embedded-db in its own process group (a terminal's Ctrl-C must not stop it first). */
export function startEmbeddedDbProcess(env: NodeJS.ProcessEnv): Promise<EmbeddedDbProcess> {
  const entry = fileURLToPath(new URL('../bin/embedded-db.js', import.meta.url));
  const child = spawn(process.execPath, [entry], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { url?: string }) => {
      if (message.url) resolve({ url: message.url, child });
      else reject(new Error('embedded database process sent no URL'));
    });
    child.once('exit', (code) => reject(new Error(`embedded database process exited with code ${code}`)));
  });
}
