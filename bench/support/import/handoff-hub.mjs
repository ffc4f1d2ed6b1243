// The hub's import path, assembled like packages/api/src/testing/test-api.ts but without HTTP: the
// ORM, the pg-boss queue (triggers are enqueued in the import transactions), the real services.
import 'reflect-metadata';
import { benchKeyring, openServices } from '../handoff-services.mjs';
import { apiDist } from '../paths.mjs';

const [{ ChannelConnection }, { Merchant }] = await Promise.all(
  ['channels/channel-connection.entity', 'merchants/merchant.entity'].map(apiDist),
);

/**
 * One merchant and a Shopify connection pointing at `shop`, written through the ORM.
 * @param {import('@mikro-orm/postgresql').MikroORM} orm
 * @param {{ shop: string, baseUrl: string, accessToken: string, pageSize: number }} shop
 * @returns {Promise<{ merchantId: string, connectionId: string }>}
 */
export async function addShopifyConnection(orm, shop) {
  const em = orm.em.fork();
  const merchant = em.create(Merchant, { name: 'Bench merchant', contactEmail: 'shop@example.com' });
  const connection = em.create(ChannelConnection, {
    merchant,
    kind: 'shopify',
    name: 'Bench shop',
    settings: { shop: shop.shop, baseUrl: shop.baseUrl, pageSize: String(shop.pageSize) },
    credentialsEncrypted: benchKeyring.encryptJson({ accessToken: shop.accessToken }),
  });
  await em.flush();
  return { merchantId: merchant.id, connectionId: connection.id };
}

/**
 * The ORM (no query hook) and the services on `databaseUrl`; `close` stops the queue and the ORM.
 * @param {string} databaseUrl
 * @param {{ fetch?: typeof fetch, sleep?: (ms: number) => Promise<void> }} connectorOverrides
 */
export async function openHub(databaseUrl, connectorOverrides) {
  // The fake shop is plain http on 127.0.0.1: the dev-only setting lets the guarded client reach it.
  const handoff = await openServices(databaseUrl, { connectorOverrides, env: { HANDOFF_ALLOW_PRIVATE_HOSTS: '1' } });
  const { orm } = handoff;
  return {
    orm,
    services: handoff.services,
    /** Forgets the watermark and cursor, so the next run reads every order again. */
    async resetWatermark(connectionId) {
      await orm.em.fork().nativeUpdate(ChannelConnection, { id: connectionId }, { syncedUntil: null, cursor: null });
    },
    close: () => handoff.close(),
  };
}
