import { parseArgs } from 'node:util';
import { HandoffError, MERCHANT_SCOPES } from '@handoff/shared';
import { migrate, pendingSchemaDiff } from '../db/orm.js';
import { demoStorageRoot } from '../demo/demo-files.js';
import { seedDemo } from '../demo/seed-demo.js';
import { createRuntime, type Runtime } from '../runtime/runtime.js';
import { runMain } from './run-main.js';

const HELP = `Usage: pnpm handoff <command> [options]   (every command takes --json)

  migrate                                   apply pending database migrations
  schema-diff                               print SQL the entities still need (empty = up to date)
  create-merchant --name N [--email E]      create a merchant
  create-api-key --merchant ID [--name N] [--scopes a,b]
                                            create an API key (shown once); default: all merchant scopes
  allow-storage-root --merchant ID --path P assign a folder inside HANDOFF_STORAGE_ROOTS to one merchant
                                            for local storage (besides its own <root>/<merchant id>)
  seed-demo                                 create the demo merchant with products and orders`;

type Command = (rt: Runtime, flags: Record<string, string | boolean | undefined>) => Promise<Record<string, unknown>>;

const commands: Record<string, Command> = {
  migrate: async (rt) => ({ applied: await migrate(rt.orm) }),
  'schema-diff': async (rt) => ({ diff: await pendingSchemaDiff(rt.orm) }),
  'create-merchant': async (rt, f) => {
    const merchant = await rt.services.merchants.create(rt.orm.em.fork(), {
      name: str(f.name, 'name'),
      contactEmail: opt(f.email),
    });
    return { merchantId: merchant.id, name: merchant.name };
  },
  'create-api-key': async (rt, f) => {
    const scopes = f.scopes
      ? str(f.scopes, 'scopes')
          .split(',')
          .map((s) => s.trim())
      : MERCHANT_SCOPES;
    const em = rt.orm.em.fork();
    if (!(await rt.services.merchants.get(em, str(f.merchant, 'merchant'))))
      throw new HandoffError('NOT_FOUND', 'Merchant not found');
    const { apiKey, secret } = await rt.services.apiKeys.create(
      em,
      str(f.merchant, 'merchant'),
      opt(f.name) ?? 'CLI key',
      scopes,
    );
    return { apiKey: secret, id: apiKey.id, scopes: apiKey.scopes };
  },
  'allow-storage-root': async (rt, f) => {
    const merchantId = str(f.merchant, 'merchant');
    const path = await rt.services.storage.providers.rootAssignments.allow(
      rt.orm.em.fork(),
      merchantId,
      str(f.path, 'path'),
    );
    return { merchantId, path };
  },
  'seed-demo': async (rt) => {
    await migrate(rt.orm);
    const seed = await seedDemo(rt.orm.em.fork(), rt, demoStorageRoot(rt.config));
    return { ...seed, graphqlUrl: `${rt.config.PUBLIC_URL}/graphql` };
  },
};

runMain(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      name: { type: 'string' },
      email: { type: 'string' },
      merchant: { type: 'string' },
      scopes: { type: 'string' },
      path: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = commands[positionals[0] ?? ''];
  if (!command || values.help) {
    console.log(HELP);
    process.exit(command || values.help ? 0 : 2);
  }
  process.env.LOG_LEVEL ??= 'warn';
  const rt = await createRuntime('cli');
  try {
    const result = await command(rt, values);
    console.log(values.json ? JSON.stringify(result) : formatHuman(result));
  } catch (error) {
    if (!(error instanceof HandoffError)) throw error;
    console.error(
      values.json ? JSON.stringify({ error: { code: error.code, message: error.message } }) : `Error: ${error.message}`,
    );
    process.exitCode = 1;
  } finally {
    await rt.close();
  }
});

function str(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value) throw new HandoffError('BAD_USER_INPUT', `--${name} is required`);
  return value;
}

function opt(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

function formatHuman(result: Record<string, unknown>): string {
  return Object.entries(result)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') || '(none)' : String(v)}`)
    .join('\n');
}
