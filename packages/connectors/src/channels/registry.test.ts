import { describe, expect, it } from 'vitest';
import { CHANNEL_KINDS } from './channel-connector.js';
import { createChannelConnector } from './registry.js';

const settings = {
  baseUrl: 'http://127.0.0.1:9',
  shop: 'x.myshopify.com',
  shopId: '1',
  marketplaceId: 'ATVPDKIKX0DER',
  region: 'na',
  marketplaceIds: 'ATVPDKIKX0DER',
};

describe('createChannelConnector', () => {
  it.each(CHANNEL_KINDS)('builds a %s connector whose kind matches', (kind) => {
    const connector = createChannelConnector(kind, { credentials: { apiKey: 'k', accessToken: 't' }, settings });
    expect(connector.kind).toBe(kind);
    expect(typeof connector.listOrders).toBe('function');
  });

  it('refuses an unknown kind', () => {
    expect(() => createChannelConnector('myspace' as never, { credentials: {}, settings })).toThrow(
      /Unknown channel kind/,
    );
  });
});
