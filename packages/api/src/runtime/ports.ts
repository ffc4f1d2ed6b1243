import { createServer } from 'node:net';
import { StartupError } from './startup-error.js';

export interface PortSetting {
  /** The variable that sets it (PORT, PORTAL_PORT, EMBEDDED_PG_PORT). */
  setting: string;
  port: number;
}

/** Refuses to start on a port something else listens on, naming the variable that moves it. */
export async function assertPortsFree(ports: PortSetting[]): Promise<void> {
  for (const { setting, port } of ports) {
    if (await portInUse(port)) {
      throw new StartupError(
        `Port ${port} is already in use (is Handoff already running?). ` +
          `Stop what listens there or set ${setting} to another port, e.g. ${setting}=${port + 1}.`,
      );
    }
  }
}

/** True when listening on the port (all interfaces, as the servers do) fails with EADDRINUSE. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(true);
      else reject(error);
    });
    server.listen(port, () => server.close(() => resolve(false)));
  });
}
