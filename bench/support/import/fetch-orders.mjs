// Every order of a channel, normalized by the real connector, read page by page the way a sync
// reads them: the baseline inserts exactly what the hub receives.
import { connectorsDist } from '../paths.mjs';

/**
 * @param {{ kind: string, credentials: Record<string, string>, settings: Record<string, string>,
 *   fetch?: typeof fetch, sleep?: (ms: number) => Promise<void> }} channel
 * @returns {Promise<{ orders: import('@handoff/shared').NormalizedOrder[], pages: number }>}
 */
export async function fetchAllOrders(channel) {
  const { createChannelConnector } = await connectorsDist('index');
  const connector = createChannelConnector(channel.kind, {
    credentials: channel.credentials,
    settings: channel.settings,
    fetch: channel.fetch,
    sleep: channel.sleep,
  });
  const orders = [];
  let pages = 0;
  let cursor = null;
  do {
    const page = await connector.listOrders({ since: null, cursor });
    orders.push(...page.orders);
    pages += 1;
    cursor = page.nextCursor;
  } while (cursor);
  return { orders, pages };
}
