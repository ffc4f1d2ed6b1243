// The worker process of the notify bench: the real worker runtime (config from the environment,
// pg-boss, every job handler), as `pnpm start` runs it, in its own process like in production.
import 'reflect-metadata';
import { serveAsChild } from '../child-server.mjs';
import { apiDist } from '../paths.mjs';

const [{ createRuntime }, { registerJobs }] = await Promise.all(['runtime/runtime', 'jobs/register-jobs'].map(apiDist));

await serveAsChild(async () => {
  const rt = await createRuntime('worker', { supervise: false });
  const worker = await registerJobs(rt);
  return {
    info: {},
    async close() {
      worker.stop();
      await rt.close();
    },
  };
});
