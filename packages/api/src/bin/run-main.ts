import { ConfigError } from '../config.js';

/** Runs an entry point; a configuration error prints its message (naming the variable) and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
