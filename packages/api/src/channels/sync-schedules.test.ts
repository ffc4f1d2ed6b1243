import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ScheduleRegistry } from '../jobs/schedules.js';
import { createLogger } from '../logger.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { ChannelConnection } from './channel-connection.entity.js';
import { enqueueSync, syncSchedules } from './sync.job.js';

describe('per-connection sync schedules', () => {
  let api: TestApi;
  let registry: ScheduleRegistry;
  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    registry = new ScheduleRegistry(api.services.queue, createLogger('silent', 'test'));
  });
  afterAll(async () => {
    registry.stopAll();
    await api.close();
  });

  it('follows the enabled connections (generic push channels have none) and drops removed ones', async () => {
    const em = api.orm.em.fork();
    const merchant = em.create(Merchant, { name: 'Schedules' });
    const shop = em.create(ChannelConnection, { merchant, kind: 'shopify', name: 'S', schedule: '*/10 * * * *' });
    const woo = em.create(ChannelConnection, { merchant, kind: 'woocommerce', name: 'W', enabled: false });
    em.create(ChannelConnection, { merchant, kind: 'generic', name: 'G' });
    await em.flush();

    await syncSchedules(api.orm.em.fork(), registry);
    expect(registry.names()).toEqual([`sync:${shop.id}`]);

    await em.nativeUpdate(ChannelConnection, { id: woo.id }, { enabled: true });
    await em.nativeUpdate(ChannelConnection, { id: shop.id }, { enabled: false });
    await syncSchedules(api.orm.em.fork(), registry);
    expect(registry.names()).toEqual([`sync:${woo.id}`]);
  });

  it('enqueues at most one waiting sync per connection', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    const first = await enqueueSync(api.services.queue, { connectionId: id, trigger: 'manual' });
    const second = await enqueueSync(api.services.queue, { connectionId: id, trigger: 'schedule' });
    expect(first).toBeTruthy();
    expect(second).toBeNull();
  });
});
