import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { defaultMailFrom, notifyConfigFields } from './rules/notifications/notify-settings.js';
import { downloadConfigFields } from './downloads/download-settings.js';
import { templateRenderConfigFields } from './rules/templates/render-settings.js';

const port = z.coerce.number().int().min(0).max(65535);
const url = z.string().url();

const schema = z.object({
  ...downloadConfigFields,
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
  /** The portal server's bearer token; unset: derived from HANDOFF_SECRET (portal/portal-auth.ts). */
  PORTAL_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_PG_PORT: port.default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().positive().default(20_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().positive().default(30),
  ...notifyConfigFields,
  ...templateRenderConfigFields,
  /** How often a worker expires jobs of crashed workers so they are retried. */
  JOB_MAINTENANCE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /**
   * How long a running job or a message being sent stays its worker's without a heartbeat (renewed
   * every third of it): a crashed worker's work is taken over after about this.
   */
  WORKER_LEASE_SECONDS: z.coerce.number().int().min(2).max(60).default(20),
  /** Dev only: lets merchant-named hosts be plain http and private/loopback addresses (local fakes). */
  HANDOFF_ALLOW_PRIVATE_HOSTS: z
    .enum(['0', '1'], { message: 'must be 0 or 1' })
    .default('0')
    .transform((v) => v === '1'),
  ...storageSchema(),
});

/** Storage connections: which local folders merchants may connect, OAuth apps, test endpoints. */
function storageSchema() {
  const optionalUrl = url.optional();
  const optionalText = z.string().min(1).optional();
  return {
    /** Comma-separated absolute folders a merchant may connect as local storage (default DATA_DIR/files). */
    HANDOFF_STORAGE_ROOTS: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .refine((roots) => roots.every((r) => isAbsolute(r)), 'every folder must be an absolute path'),
    /** Where the merchant console lives; storage OAuth returns there (default PORTAL_URL/merchant). */
    CONSOLE_URL: optionalUrl,
    DROPBOX_CLIENT_ID: optionalText,
    DROPBOX_CLIENT_SECRET: optionalText,
    GOOGLE_CLIENT_ID: optionalText,
    GOOGLE_CLIENT_SECRET: optionalText,
    /** Test seams: the fakes' origins instead of Dropbox's and Google's own. */
    DROPBOX_AUTHORIZE_URL: optionalUrl,
    DROPBOX_API_URL: optionalUrl,
    GOOGLE_AUTHORIZE_URL: optionalUrl,
    GOOGLE_TOKEN_URL: optionalUrl,
    GOOGLE_DRIVE_API_URL: optionalUrl,
  };
}

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
  if (config.NODE_ENV === 'production' && !config.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL: required when NODE_ENV=production (the embedded PostgreSQL is for development)',
    );
  }
  if (config.NODE_ENV === 'production' && !config.MAIL_FROM && !defaultMailFrom(config.PUBLIC_URL)) {
    throw new ConfigError(
      'Invalid configuration:\n  MAIL_FROM: required when NODE_ENV=production and PUBLIC_URL is an IP address',
    );
  }
  if (!config.HANDOFF_STORAGE_ROOTS.length) config.HANDOFF_STORAGE_ROOTS = [resolve(config.DATA_DIR, 'files')];
  config.CONSOLE_URL ??= `${config.PORTAL_URL.replace(/\/$/, '')}/merchant`;
  return config;
}
