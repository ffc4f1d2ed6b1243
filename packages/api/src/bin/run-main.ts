import { ConfigError } from '../config.js';
import { StartupError } from '../runtime/startup-error.js';

/**
 * Runs an entry point; a configuration or start-up problem prints its message (naming what to
 * change) and exits 1, anything else prints the error with its stack.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof StartupError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
