/**
 * The log level `pnpm start` gives its processes. In development at a terminal, with no LOG_LEVEL
 * chosen, only warnings and errors: JSON request logs would bury the welcome message. Production,
 * a pipe or file (CI, a supervisor) and an explicit LOG_LEVEL keep every line as configured.
 */
export function interactiveLogLevel(env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): string | undefined {
  if (env.LOG_LEVEL || env.NODE_ENV === 'production' || !stdoutIsTerminal) return env.LOG_LEVEL;
  return 'warn';
}
