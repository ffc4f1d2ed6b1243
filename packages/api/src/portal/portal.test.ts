import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DownloadGrant } from '../downloads/download-grant.entity.js';
import { Suspension } from '../downloads/suspension.entity.js';
import {
  seedDigitalOrder,
  sha256,
  tempRoot,
  TestClock,
  type DigitalOrder,
} from '../downloads/testing/download-fixture.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { Order } from '../orders/order.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { PortalConsent } from './portal-consent.entity.js';
import {
  ACCEPT_WAIVER,
  DOWNLOAD_LINK,
  PORTAL_VIEW,
  portalClient,
  type PortalErrorShape,
  type PortalViewShape,
} from './testing/portal-client.js';

const PORTAL_TOKEN = 'portal-token-for-tests-0123456789abcdef';
const THRESHOLD = 3;
const BOOK = randomBytes(200_000);

type ViewResult = { portal: { view: PortalViewShape | null; error: PortalErrorShape | null } };
type LinkResult = {
  portalDownloadLink: { url: string | null; expiresAt: string | null; error: PortalErrorShape | null };
};

describe('portal: the buyer’s page behind a code', () => {
  let api: TestApi;
  let root: Awaited<ReturnType<typeof tempRoot>>;
  let merchantId: string;
  let apiKey: string;
  let call: ReturnType<typeof portalClient>;
  const clock = new TestClock();
  const em = () => api.orm.em.fork();
  const codeOf = async (orderId: string) =>
    (await api.services.portalCodes.ensurePortalCode(em(), { id: orderId, merchantId })).code;
  const view = (code: string, ip = '198.51.100.7') => call<ViewResult>(PORTAL_VIEW, { code }, { ip });
  const seed = (files = [{ name: 'Book.pdf', ref: 'book.pdf' }]) =>
    seedDigitalOrder(api, em(), { merchantId, root: root.dir, files });
  const setWaiver = async (required: boolean) => {
    const fork = em();
    const merchant = await fork.findOneOrFail(Merchant, { id: merchantId });
    merchant.settings = {
      ...merchant.settings,
      portal: { ...merchant.settings.portal, requireWithdrawalWaiver: required },
    };
    await fork.flush();
  };

  beforeAll(async () => {
    root = await tempRoot();
    api = await startTestApi(inject('database'), {
      clock,
      env: {
        PORTAL_TOKEN,
        HANDOFF_STORAGE_ROOTS: root.dir,
        DOWNLOAD_SUSPEND_THRESHOLD: String(THRESHOLD),
        DOWNLOAD_SUSPEND_SECONDS: '600',
      },
    });
    ({ merchantId, apiKey } = await api.merchantWithKey('Portal shop'));
    call = portalClient(api, PORTAL_TOKEN);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${root.dir}/book.pdf`, BOOK);
  });

  afterAll(async () => {
    await api?.close();
    await root?.remove();
  });

  it('shows the order, the merchant and one entry per grant with its state from the clock', async () => {
    const order = await seed([
      { name: 'A.pdf', ref: 'book.pdf' },
      { name: 'B.pdf', ref: 'book.pdf' },
      { name: 'C.pdf', ref: 'book.pdf' },
      { name: 'D.pdf', ref: 'book.pdf' },
    ]);
    const [a, b, c, d] = order.grantIds[0]!;
    const fork = em();
    await fork.nativeUpdate(Order, { id: order.orderId }, { buyerLanguage: 'de-AT', total: 1990 });
    await fork.nativeUpdate(DownloadGrant, { id: b }, { expiresAt: new Date(clock.t - 1000) });
    await fork.nativeUpdate(DownloadGrant, { id: c }, { limit: 2, used: 2 });
    await fork.nativeUpdate(DownloadGrant, { id: d }, { revokedAt: new Date(clock.t), revokedReason: 'merchant' });
    const code = await codeOf(order.orderId);

    const res = await view(code);
    expect(res.errors).toBeUndefined();
    const v = res.data!.portal.view!;
    expect(res.data!.portal.error).toBeNull();
    expect(v.order).toMatchObject({ currency: 'EUR', total: 1990, items: [{ title: 'Product 0', quantity: 1 }] });
    expect(v.merchant).toMatchObject({ name: 'Portal shop', accentColor: '#2454d6', contactEmail: 'shop@example.com' });
    expect(v.language).toBe('de-AT');
    expect(v.licenseKeys).toEqual([]);
    expect(v.invoiceUrl).toBeNull();
    expect(v.waiverRequired).toBe(false);
    expect(v.files.map((f) => [f.grantId, f.name, f.state])).toEqual([
      [a, 'A.pdf', 'AVAILABLE'],
      [b, 'B.pdf', 'EXPIRED'],
      [c, 'C.pdf', 'USED_UP'],
      [d, 'D.pdf', 'REVOKED'],
    ]);
    expect(v.files[0]).toMatchObject({ size: null, remaining: 3 });
    expect(v.files[2]!.remaining).toBe(0);

    // The clock moves past the 30-day validity: the available file expires.
    const expiresAt = Date.parse(v.files[0]!.expiresAt!);
    const saved = clock.t;
    clock.t = expiresAt + 1000;
    try {
      const later = await view(code);
      expect(later.data!.portal.view!.files[0]!.state).toBe('EXPIRED');
    } finally {
      clock.t = saved;
    }
  });

  it('answers INVALID_CODE for a wrong or malformed code, counts it, and never leaks a GraphQL error', async () => {
    const ip = '203.0.113.10';
    for (const code of ['x'.repeat(32), '💥 not a code']) {
      const res = await view(code, ip);
      expect(res.errors).toBeUndefined();
      expect(res.data!.portal).toEqual({ view: null, error: expect.objectContaining({ code: 'INVALID_CODE' }) });
    }
    const row = await em().findOne(Suspension, { ip, target: 'portal' });
    // An unknown code belongs to no merchant: the row is the instance's (operators only).
    expect(row).toMatchObject({ failures: 2, suspendedUntil: null, merchant: null });
  });

  it('suspends an IP past the threshold for unknown codes only; no merchant sees it, an operator lifts it', async () => {
    const ip = '203.0.113.20';
    const other = '203.0.113.21';
    const order = await seed();
    const good = await codeOf(order.orderId);
    const bad = 'A'.repeat(32);
    for (let i = 1; i < THRESHOLD; i++) expect((await view(bad, ip)).data!.portal.error!.code).toBe('INVALID_CODE');
    const suspended = (await view(bad, ip)).data!.portal.error!;
    expect(suspended.code).toBe('SUSPENDED');
    expect(Date.parse(suspended.suspendedUntil!)).toBe(clock.t + 600_000);
    expect((await view(bad, ip)).data!.portal.error).toMatchObject({ code: 'SUSPENDED' });
    // Another IP is not affected; a valid code still works from the suspended IP.
    expect((await view(bad, other)).data!.portal.error!.code).toBe('INVALID_CODE');
    expect((await view(good, ip)).data!.portal.view).not.toBeNull();

    // Neither the oldest merchant nor another sees the attacker's IP, nor can lift it.
    const second = await api.merchantWithKey('Second shop');
    const row = await em().findOneOrFail(Suspension, { ip, target: 'portal' });
    for (const key of [apiKey, second.apiKey]) {
      const list = await api.gql<{ suspensions: { edges: { node: { ip: string } }[] } }>(
        `{ suspensions(first: 50) { edges { node { id ip target } } } }`,
        {},
        key,
      );
      expect(list.data!.suspensions.edges.map((e) => e.node.ip)).not.toContain(ip);
      const lift = await api.gql<{ liftSuspension: { userErrors: { code: string }[] } }>(
        `mutation($id: ID!) { liftSuspension(id: $id) { userErrors { code } } }`,
        { id: row.id },
        key,
      );
      expect(lift.data!.liftSuspension.userErrors[0]!.code).toBe('NOT_FOUND');
    }
    expect((await view(bad, ip)).data!.portal.error!.code).toBe('SUSPENDED');
    // Operators see it (pnpm handoff suspensions) and lift it.
    const instance = await api.services.suspensions.forInstance(em(), clock.now(), true);
    expect(instance.map((s) => s.ip)).toContain(ip);
    await api.services.suspensions.liftAny(em(), row.id, 'operator', clock.now());
    expect((await view(bad, ip)).data!.portal.error!.code).toBe('INVALID_CODE');
  });

  it('lists a merchant only the suspensions at its own orders, and lets only it lift them', async () => {
    const order = await seed();
    const second = await api.merchantWithKey('Other shop');
    const ip = '203.0.113.30';
    const target = { merchantId, orderId: order.orderId, ip, target: `order:${order.orderId}` };
    await api.services.suspensions.registerFailure(em(), target, clock.now());
    const list = (key: string) =>
      api.gql<{ suspensions: { edges: { node: { id: string; ip: string; orderId: string } }[] } }>(
        `{ suspensions(first: 50) { edges { node { id ip orderId } } } }`,
        {},
        key,
      );
    const mine = (await list(apiKey)).data!.suspensions.edges.map((e) => e.node);
    expect(mine).toContainEqual(expect.objectContaining({ ip, orderId: order.orderId }));
    expect(mine.every((s) => s.orderId)).toBe(true);
    expect((await list(second.apiKey)).data!.suspensions.edges).toEqual([]);
    const id = mine.find((s) => s.ip === ip)!.id;
    const lift = (key: string) =>
      api.gql<{ liftSuspension: { userErrors: { code: string }[] } }>(
        `mutation($id: ID!) { liftSuspension(id: $id) { userErrors { code } } }`,
        { id },
        key,
      );
    expect((await lift(second.apiKey)).data!.liftSuspension.userErrors[0]!.code).toBe('NOT_FOUND');
    expect((await lift(apiKey)).data!.liftSuspension.userErrors).toEqual([]);
  });

  it('refuses a rotated code at once', async () => {
    const order = await seed();
    const old = await codeOf(order.orderId);
    expect((await view(old)).data!.portal.view).not.toBeNull();
    const rotated = await api.gql<{ rotatePortalCode: { portalLink: { url: string } } }>(
      `mutation($id: ID!) { rotatePortalCode(orderId: $id) { portalLink { url } userErrors { code } } }`,
      { id: order.orderId },
      apiKey,
    );
    const fresh = rotated.data!.rotatePortalCode.portalLink.url.split('/p/')[1]!;
    expect((await view(old, '192.0.2.50')).data!.portal.error!.code).toBe('INVALID_CODE');
    expect((await view(fresh)).data!.portal.view).not.toBeNull();
  });

  it('mints a download link that serves the file, and refuses files that are not available', async () => {
    const order = await seed();
    const code = await codeOf(order.orderId);
    const grantId = order.grantIds[0]![0]!;
    const res = await call<LinkResult>(DOWNLOAD_LINK, { code, grantId }, { ip: '198.51.100.8' });
    const link = res.data!.portalDownloadLink;
    expect(link.error).toBeNull();
    expect(link.url).toMatch(/^http:\/\/localhost:4000\/d\//);
    expect(Date.parse(link.expiresAt!)).toBe(clock.t + 600_000);
    const download = await fetch(`${api.url}${new URL(link.url!).pathname}`);
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(BOOK));
    const after = await view(code);
    expect(after.data!.portal.view!.files[0]!.remaining).toBe(2);

    // Another order's grant, a malformed id, a revoked grant: NOT_AVAILABLE, the same answer.
    const other: DigitalOrder = await seed();
    await em().nativeUpdate(DownloadGrant, { id: grantId }, { revokedAt: new Date(clock.t) });
    for (const id of [other.grantIds[0]![0]!, 'nope', grantId]) {
      const refused = await call<LinkResult>(DOWNLOAD_LINK, { code, grantId: id });
      expect(refused.data!.portalDownloadLink).toMatchObject({ url: null, error: { code: 'NOT_AVAILABLE' } });
    }
    const wrong = await call<LinkResult>(DOWNLOAD_LINK, { code: 'B'.repeat(32), grantId }, { ip: '192.0.2.60' });
    expect(wrong.data!.portalDownloadLink.error!.code).toBe('INVALID_CODE');
  });

  it('requires the waiver when the merchant asks for it, and stores the consent with IP and user agent', async () => {
    await setWaiver(true);
    try {
      const order = await seed();
      const code = await codeOf(order.orderId);
      const grantId = order.grantIds[0]![0]!;
      expect((await view(code)).data!.portal.view).toMatchObject({ waiverRequired: true, waiverAcceptedAt: null });
      const refused = await call<LinkResult>(DOWNLOAD_LINK, { code, grantId });
      expect(refused.data!.portalDownloadLink).toMatchObject({ url: null, error: { code: 'WAIVER_REQUIRED' } });

      const accept = () =>
        call<{ portalAcceptWaiver: { ok: boolean } }>(
          ACCEPT_WAIVER,
          { code },
          { ip: '2001:db8::42', ua: 'Firefox/140' },
        );
      expect((await accept()).data!.portalAcceptWaiver.ok).toBe(true);
      clock.advance(60);
      expect((await accept()).data!.portalAcceptWaiver.ok).toBe(true); // again: the first consent stands

      const consents = await em().find(PortalConsent, { order: order.orderId });
      expect(consents).toHaveLength(1);
      expect(consents[0]).toMatchObject({ kind: 'withdrawal_waiver', ip: '2001:db8::42', userAgent: 'Firefox/140' });
      expect(consents[0]!.acceptedAt.getTime()).toBe(clock.t - 60_000);
      const events = await em().find(OrderEvent, { order: order.orderId, type: 'waiver_accepted' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ source: 'buyer' });

      const v = (await view(code)).data!.portal.view!;
      expect(v.waiverRequired).toBe(false);
      expect(Date.parse(v.waiverAcceptedAt!)).toBe(clock.t - 60_000);
      const link = await call<LinkResult>(DOWNLOAD_LINK, { code, grantId });
      expect(link.data!.portalDownloadLink.url).toMatch(/\/d\//);

      // The merchant sees it on the order.
      const merchantView = await api.gql<{ order: { waiverAcceptedAt: string; waiverConsent: { ip: string } } }>(
        `query($id: ID!) { order(id: $id) { waiverAcceptedAt waiverConsent { ip userAgent acceptedAt } } }`,
        { id: order.orderId },
        apiKey,
      );
      expect(merchantView.errors).toBeUndefined();
      expect(Date.parse(merchantView.data!.order.waiverAcceptedAt)).toBe(clock.t - 60_000);
      expect(merchantView.data!.order.waiverConsent.ip).toBe('2001:db8::42');
    } finally {
      await setWaiver(false);
    }
  });

  it('tells the buyer when the download route suspended their IP at this order', async () => {
    const order = await seed();
    const code = await codeOf(order.orderId);
    const ip = '198.51.100.99';
    for (let i = 0; i < THRESHOLD; i++)
      await api.services.suspensions.registerFailure(
        em(),
        { merchantId, orderId: order.orderId, ip, target: `order:${order.orderId}` },
        clock.now(),
      );
    const res = await call<LinkResult>(DOWNLOAD_LINK, { code, grantId: order.grantIds[0]![0]! }, { ip });
    expect(res.data!.portalDownloadLink.error).toMatchObject({ code: 'SUSPENDED', suspendedUntil: expect.any(String) });
    const fromElsewhere = await call<LinkResult>(DOWNLOAD_LINK, { code, grantId: order.grantIds[0]![0]! });
    expect(fromElsewhere.data!.portalDownloadLink.url).toMatch(/\/d\//);
  });
});
