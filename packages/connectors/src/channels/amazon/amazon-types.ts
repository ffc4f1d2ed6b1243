/** SP-API v0 `Money`: a decimal string amount. */
export interface AmazonMoneyV0 {
  CurrencyCode?: string;
  Amount?: string;
}

/** The parts of an Orders v0 `Order` the connector reads (the whole payload is kept as `raw`). */
export interface AmazonOrderV0 {
  AmazonOrderId: string;
  SellerOrderId?: string;
  PurchaseDate: string;
  LastUpdateDate: string;
  OrderStatus: string;
  FulfillmentChannel?: string;
  MarketplaceId?: string;
  OrderTotal?: AmazonMoneyV0;
  BuyerInfo?: { BuyerEmail?: string; BuyerName?: string };
  ShippingAddress?: { CountryCode?: string; [more: string]: unknown };
  [more: string]: unknown;
}

export interface AmazonOrderItemV0 {
  OrderItemId: string;
  ASIN?: string;
  SellerSKU?: string;
  Title?: string;
  QuantityOrdered: number;
  QuantityShipped?: number;
  /** Price of the whole line (unit price × quantity), not of one unit. */
  ItemPrice?: AmazonMoneyV0;
  ItemTax?: AmazonMoneyV0;
  BuyerRequestedCancel?: { IsBuyerRequestedCancel?: string; BuyerCancelReason?: string };
  [more: string]: unknown;
}

export interface GetOrdersResponseV0 {
  payload?: { Orders: AmazonOrderV0[]; NextToken?: string; LastUpdatedBefore?: string; CreatedBefore?: string };
}

export interface GetOrderResponseV0 {
  payload?: AmazonOrderV0;
}

export interface GetOrderItemsResponseV0 {
  payload?: { OrderItems: AmazonOrderItemV0[]; NextToken?: string; AmazonOrderId: string };
}

/** 2026-01-01 `Money`. */
export interface AmazonMoney {
  amount: string;
  currencyCode: string;
}

export interface AmazonBreakdown {
  type: string;
  subtotal: AmazonMoney;
}

/** searchOrders `Order` (2026-01-01), with items inline. */
export interface AmazonOrder2026 {
  orderId: string;
  createdTime: string;
  lastUpdatedTime: string;
  salesChannel: { channelName: string; marketplaceId?: string; marketplaceName?: string };
  buyer?: { buyerName?: string; buyerEmail?: string };
  recipient?: { deliveryAddress?: { countryCode?: string } };
  proceeds?: { grandTotal?: AmazonMoney; breakdowns?: AmazonBreakdown[] };
  fulfillment?: { fulfillmentStatus: string; fulfilledBy?: string };
  orderItems: Array<{
    orderItemId: string;
    quantityOrdered: number;
    product?: { asin?: string; title?: string; sellerSku?: string; price?: { unitPrice?: AmazonMoney } };
    proceeds?: { proceedsTotal?: AmazonMoney; breakdowns?: AmazonBreakdown[] };
    cancellation?: { cancellationRequest?: { requester?: string; cancelReason?: string } };
    fulfillment?: { quantityFulfilled?: number; quantityUnfulfilled?: number };
  }>;
  [more: string]: unknown;
}

export interface SearchOrdersResponse {
  orders: AmazonOrder2026[];
  pagination?: { nextToken?: string };
  lastUpdatedBefore?: string;
  createdBefore?: string;
}

export interface LwaTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in: number;
  refresh_token?: string;
}
