import type { NormalizedOrder } from '@handoff/shared';
import type { ChannelConnector } from '../channel-connector.js';

/** Far more pages than any test needs: a cursor that never ends fails the test instead of hanging it. */
const MAX_PAGES = 100;

/** Lists every order from `since` by following nextCursor; `afterPage` runs after each page (1-based). */
export async function drainOrders(
  connector: Pick<ChannelConnector, 'listOrders'>,
  since: Date | null,
  afterPage?: (pages: number) => void,
): Promise<{ orders: NormalizedOrder[]; pages: number }> {
  const orders: NormalizedOrder[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await connector.listOrders({ since, cursor });
    orders.push(...page.orders);
    cursor = page.nextCursor;
    pages++;
    afterPage?.(pages);
    if (pages > MAX_PAGES) throw new Error('pagination does not end');
  } while (cursor);
  return { orders, pages };
}
