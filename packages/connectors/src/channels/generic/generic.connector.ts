import type { ChannelConnector, ChannelConnectorOptions, ListOrdersInput, OrderPage } from '../channel-connector.js';

/**
 * The generic channel has nothing to poll: orders are pushed (CSV upload or the API's importOrders).
 * It exists so every connection goes through the same registry and sync code path.
 */
export class GenericConnector implements ChannelConnector {
  readonly kind = 'generic';

  constructor(_options?: ChannelConnectorOptions) {}

  async listOrders(_input: ListOrdersInput): Promise<OrderPage> {
    return { orders: [], nextCursor: null };
  }

  async testConnection(): Promise<void> {}
}
