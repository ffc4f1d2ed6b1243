import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

/** Environment variables of the notifications area; spread into the process config schema (config.ts). */
export const notifyConfigFields = {
  /** The hub's default mail server, `smtp://user:pass@host:587` or `smtps://…:465`; unset → .eml files under DATA_DIR/outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]+/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Sender address of the default transport (the merchant's name is shown with it). */
  MAIL_FROM: z.string().email().optional(),
  /** First retry delay of a transient send failure; doubles each attempt. */
  NOTIFY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** pg-boss retries of one send before the sweep picks the row up again. */
  NOTIFY_RETRY_LIMIT: z.coerce.number().int().min(0).max(50).default(10),
  /** Rule-run and send jobs (pages of up to 100) one worker process runs at once, each. */
  NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
};

const schema = z.object(notifyConfigFields);
type NotifyConfig = z.infer<typeof schema>;

export interface NotifySettings {
  smtpUrl: string | null;
  outboxDirectory: string;
  mailFrom: string;
  /** Domain part of stable Message-IDs. */
  messageIdDomain: string;
  retryDelaySeconds: number;
  retryLimit: number;
  concurrency: number;
  portalUrl: string;
}

export function notifySettings(
  config: Partial<NotifyConfig> & { DATA_DIR: string; PUBLIC_URL: string; PORTAL_URL: string },
): NotifySettings {
  const c = {
    ...schema.parse({}),
    ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)),
  } as NotifyConfig & { DATA_DIR: string; PUBLIC_URL: string; PORTAL_URL: string };
  const host = new URL(c.PUBLIC_URL).hostname || 'localhost';
  return {
    smtpUrl: c.SMTP_URL ?? null,
    outboxDirectory: resolve(c.DATA_DIR, 'outbox'),
    mailFrom: c.MAIL_FROM ?? defaultMailFrom(c.PUBLIC_URL) ?? 'no-reply@localhost',
    messageIdDomain: host,
    retryDelaySeconds: c.NOTIFY_RETRY_DELAY_SECONDS,
    retryLimit: c.NOTIFY_RETRY_LIMIT,
    concurrency: c.NOTIFY_CONCURRENCY,
    portalUrl: c.PORTAL_URL,
  };
}

/**
 * `no-reply@<PUBLIC_URL host>`; a local name (localhost, a single label) gives `no-reply@localhost`.
 * An IP address has no mailbox domain: null, and loadConfig refuses that in production.
 */
export function defaultMailFrom(publicUrl: string): string | null {
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return null;
  return `no-reply@${host.includes('.') && !host.endsWith('.localhost') ? host : 'localhost'}`;
}

/** Reads an SMTP URL into transport options (user and password URL-decoded). */
export function smtpOptionsFromUrl(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}
