import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Merchant } from '../merchants/merchant.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

const UPDATE = `mutation($input: DownloadSettingsInput!) {
  updateDownloadSettings(input: $input) { downloadSettings { defaultLimit defaultValidityDays truncateIps } userErrors { field code } }
}`;

describe('merchant download settings', () => {
  let api: TestApi;
  let a: { merchantId: string; apiKey: string };
  let b: { merchantId: string; apiKey: string };
  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    a = await api.merchantWithKey('A');
    b = await api.merchantWithKey('B');
  });
  afterAll(() => api.close());

  it('edits defaults and the IP switch; absent fields stay, null means unlimited', async () => {
    const first = await api.gql<{ updateDownloadSettings: { downloadSettings: object } }>(
      UPDATE,
      { input: { defaultLimit: 3, truncateIps: true } },
      a.apiKey,
    );
    expect(first.data?.updateDownloadSettings.downloadSettings).toEqual({
      defaultLimit: 3,
      defaultValidityDays: 30,
      truncateIps: true,
    });
    const second = await api.gql<{ updateDownloadSettings: { downloadSettings: object } }>(
      UPDATE,
      { input: { defaultValidityDays: null } },
      a.apiKey,
    );
    expect(second.data?.updateDownloadSettings.downloadSettings).toEqual({
      defaultLimit: 3,
      defaultValidityDays: null,
      truncateIps: true,
    });
    const stored = await api.orm.em.fork().findOneOrFail(Merchant, { id: a.merchantId });
    expect(stored.settings.downloads).toEqual({ defaultLimit: 3, defaultValidityDays: null, truncateIps: true });
    const other = await api.orm.em.fork().findOneOrFail(Merchant, { id: b.merchantId });
    expect(other.settings.downloads.truncateIps).toBe(false);
  });

  it('edits of two settings sections at once both stay (neither write carries the other’s old section)', async () => {
    const shop = await api.merchantWithKey('Both at once');
    for (let round = 1; round <= 5; round++) {
      const [downloads, portal] = await Promise.all([
        api.gql(UPDATE, { input: { defaultLimit: round } }, shop.apiKey),
        api.gql(
          'mutation($i: PortalSettingsInput!) { updatePortalSettings(input: $i) { userErrors { code } } }',
          { i: { introText: `round ${round}` } },
          shop.apiKey,
        ),
      ]);
      expect([downloads.errors, portal.errors]).toEqual([undefined, undefined]);
      const stored = await api.orm.em.fork().findOneOrFail(Merchant, { id: shop.merchantId });
      expect([stored.settings.downloads.defaultLimit, stored.settings.portal.introText]).toEqual([
        round,
        `round ${round}`,
      ]);
    }
  });

  it('refuses bad values and missing scopes, changing nothing', async () => {
    const bad = await api.gql<{ updateDownloadSettings: { userErrors: { field: string[]; code: string }[] } }>(
      UPDATE,
      { input: { defaultLimit: 0 } },
      b.apiKey,
    );
    expect(bad.data?.updateDownloadSettings.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['defaultLimit'],
    });
    const readOnly = await api.merchantWithKey('C', ['settings:read']);
    const forbidden = await api.gql(UPDATE, { input: { truncateIps: true } }, readOnly.apiKey);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const view = await api.gql<{ viewer: { downloadSettings: { truncateIps: boolean; defaultLimit: number } } }>(
      '{ viewer { downloadSettings { truncateIps defaultLimit } } }',
      {},
      readOnly.apiKey,
    );
    expect(view.data?.viewer.downloadSettings).toEqual({ truncateIps: false, defaultLimit: 5 });
  });
});
