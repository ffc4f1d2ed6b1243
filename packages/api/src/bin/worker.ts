import { registerJobs } from '../jobs/register-jobs.js';
import { createRuntime, onShutdown } from '../runtime/runtime.js';
import { runMain } from './run-main.js';

runMain(async () => {
  const rt = await createRuntime('worker', { supervise: true });
  const worker = await registerJobs(rt);
  rt.log.info({ queues: worker.queues, schedules: worker.schedules.names() }, 'worker running');
  onShutdown(rt.log, async () => {
    worker.stop();
    await rt.close(); // stops the queue first, waiting for running jobs
  });
});
