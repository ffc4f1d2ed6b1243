/** The subset of the Shopware 6 order entity (Admin API, plain JSON) the connector reads. */
export interface ShopwareState {
  technicalName: string;
}

export interface ShopwareCalculatedPrice {
  totalPrice: number;
  netPrice?: number;
  calculatedTaxes: Array<{ tax: number; taxRate: number; price: number }>;
}

export interface ShopwareLineItem {
  id: string;
  type: string;
  label: string;
  quantity: number;
  unitPrice: number;
  totalPrice: number;
  payload: { productNumber?: string } | null;
  price: ShopwareCalculatedPrice | null;
  parentId?: string | null;
}

export interface ShopwareTransaction {
  id: string;
  createdAt: string;
  stateMachineState: ShopwareState | null;
}

export interface ShopwareOrder {
  id: string;
  orderNumber: string;
  orderDateTime: string;
  createdAt: string;
  /** null until the order is first changed. */
  updatedAt: string | null;
  amountTotal: number;
  price: ShopwareCalculatedPrice;
  stateMachineState: ShopwareState | null;
  currency: { isoCode: string } | null;
  language: { locale?: { code: string } | null } | null;
  orderCustomer: { email: string; firstName: string; lastName: string } | null;
  billingAddress?: { country?: { iso: string } | null } | null;
  lineItems: ShopwareLineItem[] | null;
  transactions: ShopwareTransaction[] | null;
  tags?: Array<{ name: string }> | null;
  [other: string]: unknown;
}

export interface ShopwareSearchResult {
  total: number;
  data: ShopwareOrder[];
}
