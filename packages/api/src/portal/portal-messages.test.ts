import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accentTheme } from '@handoff/shared';
import { TestClock } from '../downloads/testing/download-fixture.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { Order } from '../orders/order.entity.js';
import { Notification } from '../rules/notification.entity.js';
import { seedOrders } from '../testing/order-factory.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { grantDownload } from './testing/grant-download.js';
import { CONTACT_SELLER, NEW_LINK, PORTAL_VIEW, portalClient, type PortalErrorShape } from './testing/portal-client.js';
import { fillPortalCodes, markedOrders } from './portal-code-marks.js';

const PORTAL_TOKEN = 'portal-token-for-tests-messages-0123456789';

type Action<K extends string> = { [P in K]: { ok: boolean; error: PortalErrorShape | null } };

describe('portal: messages to the seller and new links', () => {
  let api: TestApi;
  let merchantId: string;
  let call: ReturnType<typeof portalClient>;
  const clock = new TestClock();
  const em = () => api.orm.em.fork();
  const notifications = (orderId: string) =>
    em().find(Notification, { order: orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const codeOf = async (orderId: string, merchant = merchantId) =>
    (await api.services.portalCodes.ensurePortalCode(em(), { id: orderId, merchantId: merchant })).code;
  const newLink = (email: string, ip: string) => call<Action<'portalRequestNewLink'>>(NEW_LINK, { email }, { ip });

  beforeAll(async () => {
    api = await startTestApi(inject('database'), { clock, env: { PORTAL_TOKEN } });
    ({ merchantId } = await api.merchantWithKey('Message shop'));
    call = portalClient(api, PORTAL_TOKEN);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('stores a buyer message on the order and emails the merchant contact', async () => {
    const { orderIds } = await seedOrders(em(), merchantId, 1, { emailDomain: 'contact.test' });
    const orderId = orderIds[0]!;
    const code = await codeOf(orderId);
    const res = await call<Action<'portalContactSeller'>>(
      CONTACT_SELLER,
      { code, message: 'The <b>zip</b> is broken', replyTo: 'Buyer@Contact.test' },
      { ip: '198.51.100.3' },
    );
    expect(res.data!.portalContactSeller).toEqual({ ok: true, error: null });
    const events = await em().find(OrderEvent, { order: orderId, type: 'buyer_message' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'buyer' });
    expect(events[0]!.data).toMatchObject({ message: 'The <b>zip</b> is broken', replyTo: 'buyer@contact.test' });
    const sent = await notifications(orderId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      recipient: 'shop@example.com',
      transport: 'email',
      status: 'pending',
      replyTo: 'buyer@contact.test',
    });
    expect(sent[0]!.text).toContain('buyer@contact.test');
    expect(sent[0]!.html).toContain('The &lt;b&gt;zip&lt;/b&gt; is broken');
  });

  it('keeps the message without an email when the merchant has no contact address', async () => {
    const fork = em();
    const merchant = await fork.findOneOrFail(Merchant, { id: merchantId });
    merchant.contactEmail = null;
    await fork.flush();
    try {
      const { orderIds } = await seedOrders(em(), merchantId, 1, { emailDomain: 'nocontact.test' });
      const code = await codeOf(orderIds[0]!);
      const res = await call<Action<'portalContactSeller'>>(CONTACT_SELLER, { code, message: 'Hello?' });
      expect(res.data!.portalContactSeller.ok).toBe(true);
      expect(await em().count(OrderEvent, { order: orderIds[0]!, type: 'buyer_message' })).toBe(1);
      expect(await notifications(orderIds[0]!)).toHaveLength(0);
    } finally {
      await em().nativeUpdate(Merchant, { id: merchantId }, { contactEmail: 'shop@example.com' });
    }
  });

  it('refuses empty messages and bad reply addresses, and wrong codes like the page does', async () => {
    const { orderIds } = await seedOrders(em(), merchantId, 1, { emailDomain: 'bad.test' });
    const code = await codeOf(orderIds[0]!);
    for (const vars of [
      { code, message: '   ' },
      { code, message: 'x'.repeat(5001) },
      { code, message: 'hi', replyTo: 'not-an-address' },
    ]) {
      const res = await call<Action<'portalContactSeller'>>(CONTACT_SELLER, vars);
      expect(res.data!.portalContactSeller).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT' } });
    }
    const wrong = await call<Action<'portalContactSeller'>>(CONTACT_SELLER, { code: 'C'.repeat(32), message: 'hi' });
    expect(wrong.data!.portalContactSeller.error!.code).toBe('INVALID_CODE');
    expect(await em().count(OrderEvent, { order: orderIds[0]!, type: 'buyer_message' })).toBe(0);
  });

  it('sends the current link only to the matching address, with the same answer otherwise', async () => {
    const { orderIds } = await seedOrders(em(), merchantId, 2, { emailDomain: 'newlink.test' });
    const [mine, theirs] = orderIds as [string, string];
    await grantDownload(em(), mine);
    await grantDownload(em(), theirs);
    await em().nativeUpdate(Order, { id: mine }, { buyerLanguage: 'de' });
    const res = await newLink('BUYER0@NewLink.test', '198.51.100.40');
    expect(res.data!.portalRequestNewLink).toEqual({ ok: true, error: null });
    const sent = await notifications(mine);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ recipient: 'buyer0@newlink.test', language: 'de' });
    expect(sent[0]!.subject).toContain('Download-Link');
    // Stored with the code marked, never in the clear; the send path puts the current code back.
    const code = await codeOf(mine);
    expect(sent[0]!.text).toContain(`/p/[[portal-code:${mine}]]`);
    expect(JSON.stringify(sent[0])).not.toContain(code);
    const links = await api.services.portalCodes.currentLinks(em(), markedOrders([sent[0]!.text]));
    const mailed = fillPortalCodes(sent[0]!.text, new Map([...links].map(([id, l]) => [id, l.code])));
    const url = /https?:\/\/\S+\/p\/([A-Za-z0-9_-]{32})/.exec(mailed)!;
    expect(url[1]).toBe(code);
    const opened = await call<{ portal: { view: { order: { number: string } } | null } }>(PORTAL_VIEW, {
      code: url[1],
    });
    expect(opened.data!.portal.view!.order.number).toBe('#1000');
    expect(await em().count(OrderEvent, { order: mine, type: 'portal_link_requested' })).toBe(1);
    expect(await notifications(theirs)).toHaveLength(0);

    const before = await em().count(Notification, {});
    const nobody = await newLink('nobody@newlink.test', '198.51.100.40');
    expect(nobody.data!.portalRequestNewLink).toEqual({ ok: true, error: null });
    expect(await em().count(Notification, {})).toBe(before);

    const bad = await newLink('not an email', '198.51.100.40');
    expect(bad.data!.portalRequestNewLink.error!.code).toBe('BAD_USER_INPUT');
  });

  it('does not let a wildcard in the address match other orders', async () => {
    const { orderIds } = await seedOrders(em(), merchantId, 1, { emailDomain: 'wild.test' });
    await grantDownload(em(), orderIds[0]!);
    const before = await em().count(Notification, {});
    await newLink('%@wild.test', '198.51.100.41');
    await newLink('buyer_@wild.test', '198.51.100.41');
    expect(await em().count(Notification, {})).toBe(before);
  });

  it('rate-limits per IP and address, for existing and unknown addresses alike', async () => {
    const { orderIds } = await seedOrders(em(), merchantId, 1, { emailDomain: 'limit.test' });
    await grantDownload(em(), orderIds[0]!);
    const ip = '198.51.100.50';
    for (const email of ['buyer0@limit.test', 'ghost@limit.test']) {
      for (let i = 0; i < 3; i++) expect((await newLink(email, ip)).data!.portalRequestNewLink.ok).toBe(true);
      const limited = await newLink(email, ip);
      expect(limited.data!.portalRequestNewLink).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    }
    // Another IP may still ask; one email per order per 10 minutes however many ask.
    expect((await newLink('buyer0@limit.test', '198.51.100.51')).data!.portalRequestNewLink.ok).toBe(true);
    expect(await notifications(orderIds[0]!)).toHaveLength(1);
    clock.advance(601);
    expect((await newLink('buyer0@limit.test', '198.51.100.51')).data!.portalRequestNewLink.ok).toBe(true);
    expect(await notifications(orderIds[0]!)).toHaveLength(2);
    // The window passes: the first IP may ask again.
    clock.advance(3600);
    expect((await newLink('buyer0@limit.test', ip)).data!.portalRequestNewLink.ok).toBe(true);
  });

  it('sends one email per merchant listing every order with downloads, and nothing for the others', async () => {
    const address = 'buyer0@many.test';
    const mine = async (merchant: string, count: number, status: Parameters<typeof seedOrders>[3] = {}) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const start = new Date(Date.parse('2026-02-01T00:00:00Z') + ids.length * 3_600_000 + Math.random() * 1e6);
        ids.push((await seedOrders(em(), merchant, 1, { emailDomain: 'many.test', start, ...status })).orderIds[0]!);
      }
      return ids;
    };
    // Shop A: the oldest order has the downloads; twelve newer ones have nothing to offer.
    const [withDownloads] = await mine(merchantId, 1);
    await grantDownload(em(), withDownloads!);
    await em().nativeUpdate(Order, { id: withDownloads }, { placedAt: new Date('2026-01-15T00:00:00Z') });
    const nothing = await mine(merchantId, 8); // no grants (e.g. the T-shirt)
    const [cancelled] = await mine(merchantId, 1, { status: 'cancelled' });
    await grantDownload(em(), cancelled!);
    const [revoked, expired, usedUp] = await mine(merchantId, 3);
    await grantDownload(em(), revoked!, { revokedAt: new Date('2026-01-20T00:00:00Z') });
    await grantDownload(em(), expired!, { expiresAt: new Date(clock.now().getTime() - 1000) });
    await grantDownload(em(), usedUp!, { limit: 2, used: 2 });
    // Shop B: a German buyer's order with downloads, and its own brand colour and logo.
    const other = await api.merchantWithKey('Zweiter Laden');
    const fork = em();
    const shopB = await fork.findOneOrFail(Merchant, { id: other.merchantId });
    shopB.settings = {
      ...shopB.settings,
      portal: { ...shopB.settings.portal, accentColor: '#0f7b6c', logoUrl: 'https://cdn.example/b.png' },
    };
    await fork.flush();
    const [inB] = await mine(other.merchantId, 1);
    await grantDownload(em(), inB!, { limit: null, expiresAt: null });
    await em().nativeUpdate(Order, { id: inB }, { buyerLanguage: 'de-AT' });

    const before = await em().count(Notification, {});
    expect((await newLink(address.toUpperCase(), '198.51.100.60')).data!.portalRequestNewLink).toEqual({
      ok: true,
      error: null,
    });
    const sent = await em().find(Notification, { recipient: address }, { orderBy: { createdAt: 'asc' } });
    expect(sent).toHaveLength(2);
    expect(await em().count(Notification, {})).toBe(before + 2);

    const toA = sent.find((n) => n.merchant.id === merchantId)!;
    expect(toA.order.id).toBe(withDownloads);
    expect(toA.subject).toBe('Your download links from Message shop');
    const codesIn = (text: string) => [...text.matchAll(/\/p\/([A-Za-z0-9_-]{32})/g)].map((m) => m[1]);
    // Stored with marks, not codes: the send path fills in each listed order's current code.
    expect(codesIn(toA.text)).toEqual([]);
    expect(markedOrders([toA.text])).toEqual([withDownloads]);
    for (const id of [...nothing, cancelled!, revoked!, expired!, usedUp!])
      expect(await em().count(OrderEvent, { order: id, type: 'portal_link_requested' })).toBe(0);

    const toB = sent.find((n) => n.merchant.id === other.merchantId)!;
    expect(toB).toMatchObject({ language: 'de', subject: 'Ihre Download-Links von Zweiter Laden' });
    expect(codesIn(toB.text)).toEqual([]);
    expect(markedOrders([toB.text])).toEqual([inB]);
    const button = accentTheme('0f7b6c').light;
    expect(toB.html).toContain(`background:${button.accent};color:${button.contrast};`);
    expect(toB.html).toContain('<img src="https://cdn.example/b.png" alt="Zweiter Laden"');
    expect(toB.text).toMatch(/Bestellung #1000 vom \d+\. \p{L}+ 2026/u);
  });

  it('lists up to 50 orders in one email, the most recent first', async () => {
    const { orderIds } = await seedOrders(em(), merchantId, 55, { emailDomain: 'bulk.test' });
    await em().nativeUpdate(Order, { id: { $in: orderIds } }, { buyerEmail: 'bulk@bulk.test' });
    for (const id of orderIds) await grantDownload(em(), id);
    await newLink('bulk@bulk.test', '198.51.100.61');
    const sent = await em().find(Notification, { recipient: 'bulk@bulk.test' });
    expect(sent).toHaveLength(1);
    const numbers = [...sent[0]!.text.matchAll(/Order (#\d+)/g)].map((m) => m[1]);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => `#${1054 - i}`));
  });

  it('answers a known address without downloads exactly like an unknown one', async () => {
    await seedOrders(em(), merchantId, 1, { emailDomain: 'nodl.test' });
    const before = await em().count(Notification, {});
    const known = await newLink('buyer0@nodl.test', '198.51.100.62');
    const unknown = await newLink('someone@nodl.test', '198.51.100.62');
    expect(known).toEqual(unknown);
    expect(await em().count(Notification, {})).toBe(before);
  });
});
