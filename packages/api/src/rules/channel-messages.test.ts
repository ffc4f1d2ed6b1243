import {
  fakeAmazonConnection,
  FAKE_AMAZON_CLIENT,
  startFakeAmazon,
  type FakeAmazon,
} from '@handoff/connectors/channels/amazon/testing/fake-amazon-server';
import { makeAmazonOrder } from '@handoff/connectors/channels/amazon/testing/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDigitalProduct } from '../testing/digital-product.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { tempRoot } from '../downloads/testing/download-fixture.js';
import { Order } from '../orders/order.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { Notification } from './notification.entity.js';

const PORTAL = /http:\/\/portal\.test\/p\/([A-Za-z0-9_-]{32})/;

/**
 * Amazon hides buyer addresses: the default rule ("email, else the channel") sends the downloads
 * message through Amazon's Messaging API, from the real sync through the outbox to the fake SP-API.
 */
describe('downloads message through the channel when there is no email address', () => {
  let api: TestApi;
  let root: Awaited<ReturnType<typeof tempRoot>>;
  let merchantId: string;
  const fakes: FakeAmazon[] = [];
  const em = () => api.orm.em.fork();

  beforeAll(async () => {
    root = await tempRoot();
    api = await startTestApi(inject('database'), {
      env: { HANDOFF_STORAGE_ROOTS: root.dir, PORTAL_URL: 'http://portal.test' },
      connectorOverrides: { sleep: async () => {} },
    });
    ({ merchantId } = await api.merchantWithKey('Course Shop'));
    await seedDigitalProduct(em(), merchantId, {
      root: root.dir,
      sku: 'EBOOK-1',
      name: 'Course',
      file: { ref: 'course.zip', displayName: 'Course.zip' },
    });
  });

  afterAll(async () => {
    for (const fake of fakes) await fake.close();
    await api?.close();
    await root?.remove();
  });

  /**
   * An Amazon connection on a fake SP-API holding these orders, synced and its triggers dispatched;
   * `dispatchQueries` gets the SQL of the dispatch (rule runs and their sends included).
   */
  async function syncAmazon(fake: FakeAmazon, dispatchQueries: string[] = []): Promise<ChannelConnection> {
    fakes.push(fake);
    const e = em();
    const { settings } = fakeAmazonConnection(fake);
    const connection = e.create(ChannelConnection, {
      merchant: merchantId,
      kind: 'amazon',
      name: `Amazon ${fakes.length}`,
      settings,
      credentialsEncrypted: api.services.connectors.seal({ ...FAKE_AMAZON_CLIENT }),
    });
    await e.flush();
    expect(await api.services.sync.run(em(), connection.id, 'manual')).toMatchObject({ status: 'succeeded' });
    const triggers = await em()
      .getConnection()
      .execute<{ id: string }[]>('select id from order_trigger where dispatched_at is null');
    const before = api.queries.length;
    await api.services.triggers.dispatch(
      em(),
      triggers.map((t) => t.id),
    );
    dispatchQueries.push(...api.queries.slice(before));
    return connection;
  }

  const notesOf = async (connection: ChannelConnection) => {
    const orders = await em().find(Order, { connection: connection.id }, { orderBy: { externalId: 'asc' } });
    const notes = await em().find(Notification, { order: { $in: orders.map((o) => o.id) } }, { populate: ['order'] });
    return { orders, notes };
  };

  it('queues a channel message for orders without an address, sends it through Amazon with the portal link', async () => {
    const fake = await startFakeAmazon({
      orders: [makeAmazonOrder({ index: 1, email: null }), makeAmazonOrder({ index: 2 })],
    });
    const connection = await syncAmazon(fake);
    const { orders, notes } = await notesOf(connection);
    expect(orders).toHaveLength(2);
    const [withoutEmail, withEmail] = orders;
    expect(withoutEmail!.buyerEmail).toBeNull();
    const channelNote = notes.find((n) => n.order.id === withoutEmail!.id)!;
    const emailNote = notes.find((n) => n.order.id === withEmail!.id)!;
    // The rule run sent it right after its commit.
    expect(channelNote).toMatchObject({ transport: 'channel', recipient: withoutEmail!.externalId, status: 'sent' });
    expect(emailNote).toMatchObject({ transport: 'email', recipient: withEmail!.buyerEmail });
    expect(fake.messages).toHaveLength(1);
    const [message] = fake.messages;
    expect(message!.orderId).toBe(withoutEmail!.externalId);
    // What reached Amazon is what Amazon accepts: plain text, no address, the link to this order's portal.
    expect(message!.text).not.toMatch(/@|<[a-z]/i);
    const code = PORTAL.exec(message!.text)?.[1];
    expect((await api.services.portalCodes.findOrderByPortalCode(em(), code!))?.id).toBe(withoutEmail!.id);
    const sent = await em().findOneOrFail(Notification, { id: channelNote.id });
    expect(sent.status).toBe('sent');
    expect(sent.providerMessageId).toContain(withoutEmail!.externalId);

    // Sent once: its send job (or any redelivery) finds nothing to do.
    expect((await api.services.outbox.sendMany(em(), [channelNote.id])).get(channelNote.id)).toBe('skipped');
    expect(fake.messages).toHaveLength(1);
  });

  it('a page of orders without addresses looks at its channel once, not once per order', async () => {
    const fake = await startFakeAmazon({
      orders: [3, 4, 5, 6].map((index) => makeAmazonOrder({ index, email: null })),
    });
    const queries: string[] = [];
    const connection = await syncAmazon(fake, queries);
    const { notes } = await notesOf(connection);
    expect(notes.map((n) => [n.transport, n.status])).toEqual(Array(4).fill(['channel', 'sent']));
    expect(fake.messages).toHaveLength(4);
    // The connection and its sealed credentials once to know it can message, once more for the sends;
    // per order it would be two lookups each.
    expect(queries.filter((q) => q.includes('from "channel_connection"'))).toHaveLength(3);
  });

  it('a seller app without the messaging role: the message ends failed with Amazon’s answer, nothing retried', async () => {
    const fake = await startFakeAmazon({ orders: [makeAmazonOrder({ index: 7, email: null })], messagingRole: false });
    const connection = await syncAmazon(fake);
    const { notes } = await notesOf(connection);
    expect(notes).toHaveLength(1);
    // The run's own attempt got Amazon's 403: permanent, so its send job has nothing left to try.
    expect((await api.services.outbox.sendMany(em(), [notes[0]!.id])).get(notes[0]!.id)).toBe('skipped');
    const failed = await em().findOneOrFail(Notification, { id: notes[0]!.id });
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toMatch(/403/);
    expect(fake.messages).toHaveLength(0);
  });
});
