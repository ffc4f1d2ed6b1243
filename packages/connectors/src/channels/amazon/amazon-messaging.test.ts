import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError } from '../channel-connector.js';
import { connectFakeAmazon, type FakeAmazonConnectOptions } from './testing/connect-fake-amazon.js';
import type { FakeAmazon, FakeAmazonOptions } from './testing/fake-amazon-server.js';
import { AMAZON_US, amazonOrderId, makeAmazonOrder, makeAmazonOrders } from './testing/fixtures.js';

const T0 = Date.parse('2025-06-01T00:00:00.000Z');
const AMAZON_DE = 'A1PA6795UKMFR9';
const PORTAL = 'https://hub.example.com/portal/o/7f3a9c';
const ORDER = amazonOrderId(1);
/** Handoff's text variant of a "Your downloads" template, with the merchant's contact line. */
const MESSAGE = [
  'Hello Jane,',
  '',
  'thank you for your order. Your files are ready:',
  PORTAL,
  '',
  'Questions? Write to help@course-shop.example and we answer within a day.',
  '',
  'Course Shop',
].join('\n');

let fake: FakeAmazon | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: FakeAmazonOptions = {}, extra: FakeAmazonConnectOptions = {}) {
  const connected = await connectFakeAmazon(T0, { orders: makeAmazonOrders(2), ...options }, extra);
  fake = connected.fake;
  return connected;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as ChannelError,
  );

describe('AmazonConnector.sendMessage (Messaging createDigitalAccessKey)', () => {
  it.each(['v0', '2026-01-01'])(
    'posts the cleaned text for the order’s marketplace and answers an id of its own (%s)',
    async (ordersApi) => {
      const { fake, connector } = await setup({}, { settings: { ordersApi } });

      const id = await connector.sendMessage({ externalId: ORDER }, MESSAGE);

      expect(id).toBe(`amazon-message:${ORDER}:${new Date(T0).toISOString()}`);
      expect(fake.messages).toEqual([
        {
          orderId: ORDER,
          marketplaceIds: AMAZON_US,
          token: 'Atza|valid',
          text: 'Hello Jane,\n\nthank you for your order. Your files are ready:\n' + `${PORTAL}\n\nCourse Shop`,
        },
      ]);
      const [request] = fake.requestsOf('createDigitalAccessKey');
      expect(request).toMatchObject({
        method: 'POST',
        path: `/messaging/v1/orders/${ORDER}/messages/digitalAccessKey`,
      });
      expect(Object.fromEntries(request!.query)).toEqual({ marketplaceIds: AMAZON_US });
      expect(request!.headers['content-type']).toBe('application/json');
      expect(fake.requestsOf('getOrder')).toHaveLength(0);
    },
  );

  it('with several marketplaces configured, looks up the order’s one', async () => {
    const { fake, connector } = await setup(
      { orders: [makeAmazonOrder({ index: 1, marketplaceId: AMAZON_DE, currency: 'EUR' })] },
      { settings: { marketplaceIds: `${AMAZON_US},${AMAZON_DE}` } },
    );

    await connector.sendMessage({ externalId: ORDER }, MESSAGE);

    expect(fake.requestsOf('getOrder').map((r) => r.path)).toEqual([`/orders/v0/orders/${ORDER}`]);
    expect(fake.messages.map((m) => m.marketplaceIds)).toEqual([AMAZON_DE]);
  });

  it('sends HTML and an over-long text as plain text within 400 characters, keeping the link', async () => {
    const { fake, connector } = await setup();
    const paragraphs = Array.from({ length: 12 }, (_, n) => `<p>Chapter ${n + 1}: ${'lorem ipsum '.repeat(4)}</p>`);
    const html = [
      '<p>Hello <b>Jane</b>,</p>',
      ...paragraphs,
      `<p><a href="${PORTAL}">Your downloads</a>: ${PORTAL}</p>`,
      '<p>Contact: <a href="mailto:help@course-shop.example">help@course-shop.example</a></p>',
    ].join('\n');

    await connector.sendMessage({ externalId: ORDER }, html);

    const [sent] = fake.messages;
    expect(sent!.text.length).toBeLessThanOrEqual(400);
    expect(sent!.text).not.toMatch(/[<>]/);
    expect(sent!.text.split('\n')[0]).toBe('Hello Jane,');
    expect(sent!.text.split('\n').at(-1)).toBe(`Your downloads: ${PORTAL}`);
    expect(sent!.text).toContain('Chapter 1:');
    expect(sent!.text).not.toContain('Chapter 12:');
  });

  it('refuses a text with nothing left once cleaned, without calling Amazon', async () => {
    const { fake, connector } = await setup();

    const error = await failure(connector.sendMessage({ externalId: ORDER }, '<p>help@course-shop.example</p>'));

    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ retryable: false });
    expect(fake.requestsOf('createDigitalAccessKey')).toHaveLength(0);
  });

  it('an unknown order is a non-retryable ChannelError carrying Amazon’s message', async () => {
    const { fake, connector } = await setup();

    const error = await failure(connector.sendMessage({ externalId: '999-0000000-0000000' }, MESSAGE));

    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ status: 404, retryable: false });
    expect(error!.message).toContain('Order 999-0000000-0000000 not found');
    expect(fake.messages).toHaveLength(0);
  });

  it('without the Buyer Communication role: refreshes the token once, then a non-retryable 403', async () => {
    const { fake, connector } = await setup({ messagingRole: false });

    const error = await failure(connector.sendMessage({ externalId: ORDER }, MESSAGE));

    expect(error).toMatchObject({ status: 403, retryable: false });
    expect(error!.message).toContain('Access to requested resource is denied');
    expect(fake.issuedTokens).toHaveLength(1);
  });

  it('waits out a 429 by the operation’s restore interval and sends once', async () => {
    const { fake, connector, waits } = await setup();
    fake.failNext(429, { pathPrefix: '/messaging/' });

    await connector.sendMessage({ externalId: ORDER }, MESSAGE);

    expect(waits).toEqual([1000]);
    expect(fake.requestsOf('createDigitalAccessKey')).toHaveLength(2);
    expect(fake.messages).toHaveLength(1);
  });

  it('a 5xx is not sent again (Amazon may have taken it): a retryable ChannelError for the outbox', async () => {
    const { fake, connector } = await setup();
    fake.failNext(503, { pathPrefix: '/messaging/' });

    const error = await failure(connector.sendMessage({ externalId: ORDER }, MESSAGE));

    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(fake.requestsOf('createDigitalAccessKey')).toHaveLength(1);
    expect(fake.messages).toHaveLength(0);
  });

  it('paces a batch by the usage plan: burst 5, then one per second', async () => {
    const { fake, connector, waits } = await setup({ orders: makeAmazonOrders(7) });

    for (let i = 1; i <= 7; i++) await connector.sendMessage({ externalId: amazonOrderId(i) }, MESSAGE);

    expect(fake.messages).toHaveLength(7);
    expect(waits).toEqual([1000, 1000]);
    expect(fake.throttled).toBe(0);
  });
});

describe('the fake refuses what the Messaging model forbids', () => {
  it.each([
    ['HTML', `<p>Your files: ${PORTAL}</p>`, 400],
    ['an email address', `Your files: ${PORTAL}\nhelp@course-shop.example`, 400],
    ['401 characters', `${PORTAL}\n${'x'.repeat(400 - PORTAL.length)}`, 400],
    ['400 characters', `${PORTAL}\n${'x'.repeat(399 - PORTAL.length)}`, 201],
  ])('%s', async (_, text, status) => {
    const { fake } = await setup();
    const response = await fetch(
      `${fake.url}/messaging/v1/orders/${ORDER}/messages/digitalAccessKey?marketplaceIds=${AMAZON_US}`,
      {
        method: 'POST',
        headers: { 'x-amz-access-token': 'Atza|valid', 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      },
    );
    expect(response.status).toBe(status);
  });
});
