import type { EntityManager } from '@mikro-orm/postgresql';
import { hashSecret, invalidInput, isScope, randomToken, type Scope } from '@handoff/shared';
import type { Clock } from '../clock.js';
import type { Actor } from '../graphql/request-context.js';
import { ApiKey } from './api-key.entity.js';
import { Merchant } from './merchant.entity.js';

const KEY_PREFIX = 'hk_';
/** lastUsedAt is refreshed at most this often, so reads don't turn every request into a write. */
const TOUCH_INTERVAL_MS = 60_000;

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The only time the secret exists in clear. */
  secret: string;
}

export class ApiKeyService {
  constructor(private readonly clock: Clock) {}

  async create(em: EntityManager, merchantId: string, name: string, scopes: string[]): Promise<CreatedApiKey> {
    const unknown = scopes.filter((s) => !isScope(s));
    if (unknown.length) throw invalidInput(`Unknown scope(s): ${unknown.join(', ')}`, 'scopes');
    if (scopes.length === 0) throw invalidInput('An API key needs at least one scope', 'scopes');
    const secret = KEY_PREFIX + randomToken(32);
    const apiKey = em.create(ApiKey, {
      merchant: em.getReference(Merchant, merchantId),
      name: name.trim() || 'API key',
      prefix: secret.slice(0, 10),
      hash: hashSecret(secret),
      scopes: [...new Set(scopes as Scope[])],
      createdAt: this.clock.now(),
    });
    await em.flush();
    return { apiKey, secret };
  }

  /** The actor behind a bearer token, or null for an unknown, malformed or revoked key. */
  async authenticate(em: EntityManager, bearer: string): Promise<Actor | null> {
    if (!bearer.startsWith(KEY_PREFIX) || bearer.length > 200) return null;
    // Looked up by the SHA-256 of a 256-bit secret: no timing oracle on the stored value.
    const key = await em.findOne(ApiKey, { hash: hashSecret(bearer), revokedAt: null });
    if (!key) return null;
    const now = this.clock.now();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await em.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: now });
    }
    return { merchantId: key.merchant.id, apiKeyId: key.id, name: `api-key:${key.name}`, scopes: new Set(key.scopes) };
  }

  async revoke(em: EntityManager, merchantId: string, id: string): Promise<boolean> {
    const count = await em.nativeUpdate(
      ApiKey,
      { id, merchant: merchantId, revokedAt: null },
      { revokedAt: this.clock.now() },
    );
    return count > 0;
  }
}
