import cron from 'node-cron';
import { z } from 'zod';
import { CHANNEL_KINDS } from '@handoff/connectors';

export const DEFAULT_SCHEDULE = '*/5 * * * *';

/** A flat JSON object of strings (shop domain, marketplace id; or, for credentials, tokens and keys). */
const stringMap = (maxValue: number) =>
  z
    .record(z.string().min(1).max(100), z.string().max(maxValue, `values are at most ${maxValue} characters`))
    .refine((v) => Object.keys(v).length <= 50, 'at most 50 keys');

const schedule = z
  .string()
  .trim()
  .min(1)
  .max(100)
  // Five fields (minute precision): node-cron's optional seconds field would let a schedule poll a channel every second.
  .refine((v) => v.split(/\s+/).length === 5 && cron.validate(v), 'is not a valid five-field cron expression');

export const createConnectionSchema = z.object({
  kind: z.enum(CHANNEL_KINDS),
  name: z.string().trim().min(1).max(200),
  settings: stringMap(2000).default({}),
  credentials: stringMap(8000).optional(),
  schedule: schedule.default(DEFAULT_SCHEDULE),
  enabled: z.boolean().default(true),
});

/** The kind of a connection never changes; credentials are replaced only when given. */
export const updateConnectionSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  settings: stringMap(2000).optional(),
  credentials: stringMap(8000).optional(),
  schedule: schedule.optional(),
  enabled: z.boolean().optional(),
});

export type CreateConnectionInput = z.input<typeof createConnectionSchema>;
export type UpdateConnectionInput = z.input<typeof updateConnectionSchema>;
