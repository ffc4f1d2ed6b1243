import { z } from 'zod';
import { confineRef } from '@handoff/connectors';

// eslint-disable-next-line no-control-regex
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const connectionName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(noControl, 'must not contain control characters');
export const delivery = z.enum(['redirect', 'stream']);

/** A folder path inside a provider ('' = everything), refused when it could leave its parent. */
const relativeFolder = z
  .string()
  .max(1024)
  .transform((s) => s.replace(/^\/+/, '').replace(/\/+$/, ''))
  .refine((s) => {
    try {
      confineRef(s);
      return true;
    } catch {
      return false;
    }
  }, 'must be a plain folder path (no "..", backslashes or control characters)');

export const connectLocalSchema = z.object({
  name: connectionName,
  root: z.string().min(1).max(1024),
});

export const connectAzureSchema = z
  .object({
    name: connectionName,
    connectionString: z.string().min(1).max(4096).optional().nullable(),
    accountName: z
      .string()
      .regex(/^[a-z0-9]{3,24}$/, 'must be 3–24 lowercase letters or digits')
      .optional()
      .nullable(),
    accountKey: z.string().min(1).max(512).optional().nullable(),
    endpoint: z.string().url().max(512).optional().nullable(),
    container: z
      .string()
      .regex(
        /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/,
        'must be a valid container name (3–63 lowercase letters, digits, dashes)',
      ),
    prefix: relativeFolder.optional().nullable(),
    delivery: delivery.default('stream'),
  })
  .superRefine((v, ctx) => {
    const byString = Boolean(v.connectionString);
    const byKey = Boolean(v.accountName || v.accountKey);
    if (byString === byKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['connectionString'],
        message: 'give either a connection string or an account name with its key',
      });
    } else if (byKey && !(v.accountName && v.accountKey)) {
      ctx.addIssue({ code: 'custom', path: [v.accountName ? 'accountKey' : 'accountName'], message: 'is required' });
    }
  });

export const startOAuthSchema = z.object({
  kind: z.enum(['dropbox', 'google-drive']),
  name: connectionName,
  root: z.string().max(1024).default(''),
});

/** Dropbox roots are paths ('/Shop', '' = everything); Drive roots are folder ids. */
export const dropboxRoot = relativeFolder;
export const driveRoot = z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be a Google Drive folder id');

export const updateConnectionSchema = z.object({
  name: connectionName.optional().nullable(),
  delivery: delivery.optional().nullable(),
});
