import { createHttpApp } from '../http/app.js';
import { createRuntime, onShutdown } from '../runtime/runtime.js';
import { StartupError } from '../runtime/startup-error.js';
import { runMain } from './run-main.js';

runMain(async () => {
  const rt = await createRuntime('api');
  const { server, apollo } = await createHttpApp(
    { orm: rt.orm, services: rt.services, clock: rt.clock },
    rt.config,
    rt.log,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(`Port ${rt.config.PORT} is already in use: set PORT to another port.`)
          : error,
      ),
    );
    server.listen(rt.config.PORT, resolve);
  });
  rt.log.info({ port: rt.config.PORT, graphql: `${rt.config.PUBLIC_URL}/graphql` }, 'API listening');
  onShutdown(rt.log, async () => {
    // apollo.stop() drains the HTTP server: in-flight requests finish, new ones are refused.
    await apollo.stop();
    await rt.close();
  });
});
