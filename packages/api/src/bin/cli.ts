import { parseArgs } from 'node:util';
import { HandoffError, MERCHANT_SCOPES } from '@handoff/shared';
import type { Suspension } from '../downloads/suspension.entity.js';
import type { Runtime } from '../runtime/runtime.js';
import { runMain } from './run-main.js';

const HELP = `Usage: pnpm handoff <command> [options]   (every command takes --json)

  migrate                                   apply pending database migrations
  schema-diff                               print SQL the entities still need (empty = up to date)
  create-merchant --name N [--email E]      create a merchant
  create-api-key --merchant ID [--name N] [--scopes a,b]
                                            create an API key (shown once); default: all merchant scopes
  allow-storage-root --merchant ID --path P assign a folder inside HANDOFF_STORAGE_ROOTS to one merchant
                                            for local storage (besides its own <root>/<merchant id>)
  seed-demo                                 create the demo merchant with products and orders; run
                                            again: the same merchant, with a new API key
  suspensions [--active]                    IPs suspended for unknown portal codes (no merchant sees these)
  lift-suspension --id ID                   end a suspension now (any, by id)
  help                                      show this text`;

/** Service input fields by the CLI option that carries them. */
const FLAGS: Record<string, string> = { name: 'name', contactEmail: 'email' };

type Command = (rt: Runtime, flags: Record<string, string | boolean | undefined>) => Promise<Record<string, unknown>>;

const commands: Record<string, Command> = {
  migrate: async (rt) => ({ applied: await (await import('../db/orm.js')).migrate(rt.orm) }),
  'schema-diff': async (rt) => ({ diff: await (await import('../db/orm.js')).pendingSchemaDiff(rt.orm) }),
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
    const [{ migrate }, { seedDemo }, { demoStorageRoot }] = await Promise.all([
      import('../db/orm.js'),
      import('../demo/seed-demo.js'),
      import('../demo/demo-files.js'),
    ]);
    await migrate(rt.orm);
    const seed = await seedDemo(rt.orm.em.fork(), rt, demoStorageRoot(rt.config));
    return { ...seed, graphqlUrl: `${rt.config.PUBLIC_URL}/graphql` };
  },
  suspensions: async (rt, f) => {
    const rows = await rt.services.suspensions.forInstance(rt.orm.em.fork(), rt.clock.now(), f.active === true);
    return { suspensions: rows.map(suspensionView) };
  },
  'lift-suspension': async (rt, f) => {
    const lifted = await rt.services.suspensions.liftAny(rt.orm.em.fork(), str(f.id, 'id'), 'operator', rt.clock.now());
    return suspensionView(lifted);
  },
};

function suspensionView(s: Suspension) {
  const { id, ip, target, failures, lastFailureAt, suspendedUntil, liftedAt } = s;
  return { id, ip, target, failures, lastFailureAt, suspendedUntil, liftedAt };
}

const OPTIONS = {
  json: { type: 'boolean' },
  name: { type: 'string' },
  email: { type: 'string' },
  merchant: { type: 'string' },
  scopes: { type: 'string' },
  path: { type: 'string' },
  id: { type: 'string' },
  active: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

runMain(async () => {
  const parsed = parseCommandLine();
  if (!parsed) return;
  const { positionals, values } = parsed;
  const name = positionals[0];
  if (values.help || name === 'help') {
    console.log(HELP);
    return;
  }
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(name ? `Unknown command: ${name}\n\n${HELP}` : HELP);
    process.exitCode = 2;
    return;
  }
  process.env.LOG_LEVEL ??= 'warn';
  // Loaded only for a real command, so help and usage errors answer at once.
  const rt = await (await import('../runtime/runtime.js')).createRuntime('cli');
  try {
    const result = await command(rt, values);
    console.log(values.json ? JSON.stringify(result) : formatHuman(result));
  } catch (error) {
    if (!(error instanceof HandoffError)) throw error;
    // Name the option the operator typed, not the service's field.
    const message = error.field && FLAGS[error.field] ? `--${FLAGS[error.field]}: ${error.message}` : error.message;
    console.error(values.json ? JSON.stringify({ error: { code: error.code, message } }) : `Error: ${message}`);
    process.exitCode = 1;
  } finally {
    await rt.close();
  }
});

/** The command line, or null after saying what is wrong with it (an unknown option, a missing value). */
function parseCommandLine() {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return null;
  }
}

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
