import { startFakeShopware } from '@handoff/connectors/channels/shopware/testing/fake-shopware-server';
import { makeShopwareOrders } from '@handoff/connectors/channels/shopware/testing/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Merchant } from '../merchants/merchant.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { ChannelConnection } from './channel-connection.entity.js';

/** A channel token refreshed during a sync is stored again, sealed, for the next run. */
describe('connector credentials', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(inject('database'), { connectorOverrides: { sleep: async () => {} } });
  });
  afterAll(() => api.close());

  it('stores a refreshed Shopware token encrypted and uses it next time', async () => {
    const shop = await startFakeShopware({ orders: makeShopwareOrders(30) });
    try {
      const em = api.orm.em.fork();
      const connection = em.create(ChannelConnection, {
        merchant: em.create(Merchant, { name: 'Shopware merchant' }),
        kind: 'shopware',
        name: 'Shopware',
        settings: { baseUrl: shop.url },
        credentialsEncrypted: api.services.connectors.seal({
          clientId: 'SWIAFAKECLIENTID',
          clientSecret: 'fake-client-secret',
        }),
      });
      await em.flush();

      const first = await api.services.sync.run(api.orm.em.fork(), connection.id, 'manual');
      expect(first).toMatchObject({ status: 'succeeded', counts: { created: 30 } });
      const [row] = await api.orm.em
        .fork()
        .getConnection()
        .execute<{ credentials_encrypted: string }[]>(
          'select credentials_encrypted from channel_connection where id = ?',
          [connection.id],
        );
      expect(row!.credentials_encrypted).not.toContain('fake-client-secret');
      const stored = api.keyring.decryptJson<Record<string, string>>(row!.credentials_encrypted);
      expect(stored.accessToken).toBeTruthy();
      expect(stored.clientSecret).toBe('fake-client-secret');

      const grantsBefore = shop.tokenRequests().length;
      const second = await api.services.sync.run(api.orm.em.fork(), connection.id, 'manual');
      expect(second?.status).toBe('succeeded');
      expect(shop.tokenRequests().length).toBe(grantsBefore); // the stored token was reused
    } finally {
      await shop.close();
    }
  });
});
