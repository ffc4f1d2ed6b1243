import { watchParent } from '../runtime/parent-watch.js';

/**
 * Preloaded (`node --import`) into every process `pnpm start` runs, the portal included: when
 * the start process dies, the process stops as on SIGTERM (its own graceful shutdown).
 */
watchParent(() => process.kill(process.pid, 'SIGTERM'));
