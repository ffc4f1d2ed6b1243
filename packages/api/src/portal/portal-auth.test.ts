import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { Suspension } from '../downloads/suspension.entity.js';
import { Keyring } from '../security/keyring.js';
import { seedOrders } from '../testing/order-factory.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { PortalConsent } from './portal-consent.entity.js';
import { PORTAL_TOKEN_LABEL, PortalAuth, portalServiceToken } from './portal-auth.js';
import { ACCEPT_WAIVER, PORTAL_VIEW, portalClient, type PortalErrorShape } from './testing/portal-client.js';

type ViewResult = { portal: { view: { order: { number: string } } | null; error: PortalErrorShape | null } };

describe('portal token', () => {
  it('is PORTAL_TOKEN when set (≥ 32 characters), else derived from HANDOFF_SECRET', () => {
    const keyring = new Keyring('a-master-secret-a-master-secret-!!');
    const derived = keyring.sign(PORTAL_TOKEN_LABEL);
    expect(portalServiceToken({}, keyring)).toBe(derived);
    const own = 'an-operator-chosen-portal-token-0123456789';
    const auth = new PortalAuth(portalServiceToken({ PORTAL_TOKEN: own }, keyring));
    expect(auth.matches(own)).toBe(true);
    expect(auth.matches(derived)).toBe(false);
    expect(auth.matches(own.slice(0, -1))).toBe(false);
    expect(() => loadConfig({ PORTAL_TOKEN: 'too-short' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORTAL_TOKEN: 'too-short' })).toThrow(/PORTAL_TOKEN/);
  });
});

describe('portal actor and scopes', () => {
  let api: TestApi;
  let token: string;
  let merchant: { merchantId: string; apiKey: string };
  let other: { merchantId: string; apiKey: string };
  let portalKey: string;
  let call: ReturnType<typeof portalClient>;
  let code: string;
  let otherCode: string;
  const em = () => api.orm.em.fork();

  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    token = api.keyring.sign(PORTAL_TOKEN_LABEL);
    call = portalClient(api, token);
    merchant = await api.merchantWithKey('Scoped shop');
    other = await api.merchantWithKey('Other shop');
    portalKey = (await api.merchantWithKey('Key shop', ['portal'])).apiKey;
    const [orderId] = (await seedOrders(em(), merchant.merchantId, 1)).orderIds;
    const [otherOrderId] = (await seedOrders(em(), other.merchantId, 1, { emailDomain: 'other.test' })).orderIds;
    code = (await api.services.portalCodes.ensurePortalCode(em(), { id: orderId!, merchantId: merchant.merchantId }))
      .code;
    otherCode = (
      await api.services.portalCodes.ensurePortalCode(em(), { id: otherOrderId!, merchantId: other.merchantId })
    ).code;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('opens any merchant’s order with the derived portal token', async () => {
    for (const c of [code, otherCode]) {
      const res = await call<ViewResult>(PORTAL_VIEW, { code: c });
      expect(res.data!.portal.view!.order.number).toBe('#1000');
    }
  });

  it('keeps every merchant field FORBIDDEN to the portal token', async () => {
    for (const query of [
      '{ viewer { id name } }',
      '{ orders(first: 1) { edges { node { id } } } }',
      '{ suspensions(first: 1) { edges { node { id } } } }',
      'mutation { updatePortalSettings(input: { introText: "hi" }) { userErrors { code } } }',
    ]) {
      const res = await call(query);
      expect(res.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(res.data ?? null).toBeNull();
    }
  });

  it('refuses portal fields to a merchant key without the portal scope, and unknown bearers', async () => {
    const res = await call(PORTAL_VIEW, { code }, { bearer: merchant.apiKey });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await call(PORTAL_VIEW, { code }, { bearer: null });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await call(PORTAL_VIEW, { code }, { bearer: `${token}x` });
    expect(forged.status).toBe(401);
  });

  it('lets a merchant key with the portal scope open only its own merchant’s orders', async () => {
    const ownKey = (await api.services.apiKeys.create(em(), merchant.merchantId, 'portal', ['portal'])).secret;
    const own = await call<ViewResult>(PORTAL_VIEW, { code }, { bearer: ownKey });
    expect(own.data!.portal.view!.order.number).toBe('#1000');
    const foreign = await call<ViewResult>(PORTAL_VIEW, { code: otherCode }, { bearer: ownKey });
    expect(foreign.data!.portal).toMatchObject({ view: null, error: { code: 'INVALID_CODE' } });
    const stranger = await call<ViewResult>(PORTAL_VIEW, { code }, { bearer: portalKey });
    expect(stranger.data!.portal.error!.code).toBe('INVALID_CODE');
  });

  it('ignores X-Handoff-Client-Ip without the portal token, and an address that is not an IP', async () => {
    const spoofed = '203.0.113.77';
    const ownKey = (await api.services.apiKeys.create(em(), merchant.merchantId, 'portal 2', ['portal'])).secret;
    await call(PORTAL_VIEW, { code: 'D'.repeat(32) }, { bearer: ownKey, ip: spoofed });
    expect(await em().count(Suspension, { ip: spoofed })).toBe(0);
    const counted = await em().findOne(Suspension, { target: `portal:${merchant.merchantId}` });
    expect(counted?.ip).toBe('127.0.0.1');

    await call(ACCEPT_WAIVER, { code }, { bearer: ownKey, ip: spoofed, ua: 'Spoofer/1' });
    const consent = await em().findOneOrFail(PortalConsent, { merchant: merchant.merchantId });
    expect(consent.ip).toBe('127.0.0.1');
    expect(consent.userAgent).not.toBe('Spoofer/1');

    await call(PORTAL_VIEW, { code: 'E'.repeat(32) }, { ip: 'not-an-ip' });
    expect(await em().count(Suspension, { ip: 'not-an-ip' })).toBe(0);
    expect(await em().count(Suspension, { ip: '127.0.0.1', target: 'portal' })).toBe(1);

    // With the portal token the header counts.
    await call(ACCEPT_WAIVER, { code: otherCode }, { ip: '2001:db8::7', ua: 'Buyer/2' });
    const buyer = await em().findOneOrFail(PortalConsent, { merchant: other.merchantId });
    expect(buyer).toMatchObject({ ip: '2001:db8::7', userAgent: 'Buyer/2' });
  });

  it('lets the merchant read and edit the portal settings with the settings scopes', async () => {
    const read = await api.gql<{ viewer: { portalSettings: Record<string, unknown> } }>(
      '{ viewer { portalSettings { logoUrl accentColor introText requireWithdrawalWaiver } } }',
      {},
      merchant.apiKey,
    );
    expect(read.data!.viewer.portalSettings).toEqual({
      logoUrl: null,
      accentColor: '#2454d6',
      introText: '',
      requireWithdrawalWaiver: false,
    });
    const UPDATE = `mutation($input: PortalSettingsInput!) {
      updatePortalSettings(input: $input) {
        portalSettings { logoUrl accentColor introText requireWithdrawalWaiver }
        userErrors { field code message }
      }
    }`;
    type Update = {
      updatePortalSettings: {
        portalSettings: Record<string, unknown> | null;
        userErrors: { field: string[]; code: string }[];
      };
    };
    const ok = await api.gql<Update>(
      UPDATE,
      { input: { logoUrl: 'https://cdn.example.com/logo.png', accentColor: '#112233', requireWithdrawalWaiver: true } },
      merchant.apiKey,
    );
    expect(ok.data!.updatePortalSettings).toEqual({
      portalSettings: {
        logoUrl: 'https://cdn.example.com/logo.png',
        accentColor: '#112233',
        introText: '',
        requireWithdrawalWaiver: true,
      },
      userErrors: [],
    });
    for (const [input, field] of [
      [{ logoUrl: 'http://cdn.example.com/logo.png' }, 'logoUrl'],
      [{ logoUrl: 'javascript:alert(1)' }, 'logoUrl'],
      [{ accentColor: 'red' }, 'accentColor'],
      [{ introText: 'x'.repeat(2001) }, 'introText'],
    ] as const) {
      const bad = await api.gql<Update>(UPDATE, { input }, merchant.apiKey);
      expect(bad.data!.updatePortalSettings.portalSettings).toBeNull();
      expect(bad.data!.updatePortalSettings.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: [field] });
    }
    const partial = await api.gql<Update>(UPDATE, { input: { introText: 'Danke!', logoUrl: null } }, merchant.apiKey);
    expect(partial.data!.updatePortalSettings.portalSettings).toMatchObject({
      logoUrl: null,
      accentColor: '#112233',
      introText: 'Danke!',
    });
    const view = await call<{ portal: { view: { merchant: Record<string, unknown>; waiverRequired: boolean } } }>(
      PORTAL_VIEW,
      { code },
    );
    expect(view.data!.portal.view.merchant).toMatchObject({ accentColor: '#112233', introText: 'Danke!' });

    const readOnly = (await api.services.apiKeys.create(em(), merchant.merchantId, 'ro', ['settings:read'])).secret;
    const refused = await api.gql(UPDATE, { input: { introText: 'no' } }, readOnly);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ordersOnly = (await api.services.apiKeys.create(em(), merchant.merchantId, 'o', ['orders:read'])).secret;
    const hidden = await api.gql('{ viewer { portalSettings { accentColor } } }', {}, ordersOnly);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
