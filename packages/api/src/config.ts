import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const url = z.string().url();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Unset: an embedded PostgreSQL is started under DATA_DIR/pg. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  PORT: port.default(4000),
  PORTAL_PORT: port.default(3000),
  /** Where the API is reached from outside (download links point here). */
  PUBLIC_URL: url.default('http://localhost:4000'),
  /** Where buyers open the portal (links in emails point here). */
  PORTAL_URL: url.default('http://localhost:3000'),
  /** Master secret for HMAC and encryption keys; required in production. */
  HANDOFF_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_PG_PORT: port.default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().positive().default(20_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().positive().default(30),
  /** How often a worker expires jobs of crashed workers so they are retried. */
  JOB_MAINTENANCE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Reads and validates the environment once; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && !config.HANDOFF_SECRET) {
    throw new ConfigError('Invalid configuration:\n  HANDOFF_SECRET: required when NODE_ENV=production');
  }
  return config;
}
