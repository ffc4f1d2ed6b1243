import type { EbayAmount } from './ebay-money.js';

/** The parts of the Sell Fulfillment `Order` the connector reads (the whole payload is kept as `raw`). */
export interface EbayOrder {
  orderId: string;
  legacyOrderId?: string;
  creationDate: string;
  lastModifiedDate: string;
  orderFulfillmentStatus: 'NOT_STARTED' | 'IN_PROGRESS' | 'FULFILLED' | string;
  orderPaymentStatus: 'PAID' | 'PENDING' | 'FAILED' | 'FULLY_REFUNDED' | 'PARTIALLY_REFUNDED' | string;
  salesRecordReference?: string;
  buyer?: {
    username?: string;
    buyerRegistrationAddress?: {
      fullName?: string;
      email?: string;
      contactAddress?: { countryCode?: string };
    };
  };
  pricingSummary?: {
    priceSubtotal?: EbayAmount;
    deliveryCost?: EbayAmount;
    tax?: EbayAmount;
    total?: EbayAmount;
  };
  cancelStatus?: { cancelState?: 'NONE_REQUESTED' | 'IN_PROGRESS' | 'CANCELED' | string; cancelRequests?: unknown[] };
  paymentSummary?: {
    totalDueSeller?: EbayAmount;
    payments?: Array<{
      paymentMethod?: string;
      paymentReferenceId?: string;
      paymentDate?: string;
      paymentStatus?: string;
      amount?: EbayAmount;
    }>;
    refunds?: EbayRefund[];
  };
  lineItems?: EbayLineItem[];
}

export interface EbayRefund {
  refundId?: string;
  refundDate?: string;
  refundStatus?: string;
  amount?: EbayAmount;
}

export interface EbayLineItem {
  lineItemId: string;
  legacyItemId?: string;
  sku?: string;
  title: string;
  quantity: number;
  lineItemCost: EbayAmount;
  total?: EbayAmount;
  lineItemFulfillmentStatus?: string;
  taxes?: Array<{ amount: EbayAmount; taxType?: string }>;
  ebayCollectAndRemitTaxes?: Array<{ amount: EbayAmount; taxType?: string; collectionMethod?: string }>;
  refunds?: Array<{ amount?: EbayAmount; refundDate?: string; refundId?: string }>;
}

/** Response of `GET /sell/fulfillment/v1/order`. */
export interface EbayOrderSearchPagedCollection {
  href?: string;
  total: number;
  limit: number;
  offset: number;
  next?: string;
  prev?: string;
  orders: EbayOrder[];
  warnings?: unknown[];
}

export interface EbayTokenResponse {
  access_token: string;
  expires_in: number;
  token_type?: string;
}
