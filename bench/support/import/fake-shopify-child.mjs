// Child process: the connectors package's fake Shopify Admin GraphQL server, serving BENCH_ORDERS
// fixture orders (makeShopifyOrders). It runs in its own process like a remote shop would, so its
// CPU (sorting, cloning and serializing pages) is not spent on the hub's event loop.
import { serveAsChild } from '../child-server.mjs';
import { connectorsDist } from '../paths.mjs';

const { startFakeShopify } = await connectorsDist('channels/shopify/testing/fake-shopify-server');
const { makeShopifyOrders } = await connectorsDist('channels/shopify/testing/fixtures');

serveAsChild(async () => {
  const count = Number(process.env.BENCH_ORDERS);
  if (!Number.isInteger(count) || count <= 0) throw new Error('BENCH_ORDERS must be a positive integer');
  // bucket: null = the fake never throttles on its own (it still reports a cost extension).
  const fake = await startFakeShopify({ orders: makeShopifyOrders(count), bucket: null });
  return {
    info: { url: fake.url, shop: fake.shop, accessToken: fake.accessToken, orders: fake.orders.length },
    close: fake.close,
  };
});
