import { registerJobs } from '../jobs/register-jobs.js';
import { createRuntime, onShutdown } from '../runtime/runtime.js';
import { runMain } from './run-main.js';

runMain(async () => {
  const rt = await createRuntime('worker');
  const worker = await registerJobs(rt);
  rt.log.info({ queues: worker.queues, schedules: worker.schedules.names() }, 'worker running');
  onShutdown(rt.log, async () => {
    worker.schedules.stopAll();
    await worker.queue.stop(); // waits for running jobs
    await rt.close();
  });
});
