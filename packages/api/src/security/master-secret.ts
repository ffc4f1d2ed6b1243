import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '@handoff/shared';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * HANDOFF_SECRET, or in development a generated one kept under DATA_DIR so restarts keep
 * decrypting what was encrypted before.
 */
export function resolveMasterSecret(config: Config, log: Logger): string {
  if (config.HANDOFF_SECRET) return config.HANDOFF_SECRET;
  const file = join(config.DATA_DIR, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = randomToken(32);
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  log.warn({ file }, 'HANDOFF_SECRET is not set: generated a development secret. Set HANDOFF_SECRET in production.');
  return secret;
}
