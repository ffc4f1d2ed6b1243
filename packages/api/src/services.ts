import { ProductService } from './catalog/product.service.js';
import type { Clock } from './clock.js';
import { ApiKeyService } from './merchants/api-key.service.js';
import { MerchantService } from './merchants/merchant.service.js';
import { OrderService } from './orders/order.service.js';
import type { Keyring } from './security/keyring.js';

export interface ServiceDeps {
  clock: Clock;
  keyring: Keyring;
}

/** Every domain service, built once per process with its collaborators. */
export function createServices(deps: ServiceDeps) {
  return {
    merchants: new MerchantService(deps.clock),
    apiKeys: new ApiKeyService(deps.clock),
    products: new ProductService(),
    orders: new OrderService(),
  };
}

export type Services = ReturnType<typeof createServices>;
