/**
 * One page of orders with what the hub needs. Nested `first:` values keep the requested cost under
 * Shopify's 1,000-point single-query cap (50 orders × ~15 points each); orders with more line items
 * are completed by LINE_ITEMS_QUERY.
 */
export const ORDERS_QUERY = /* GraphQL */ `
  query HandoffOrders($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        email
        createdAt
        updatedAt
        processedAt
        closedAt
        cancelledAt
        displayFinancialStatus
        displayFulfillmentStatus
        currencyCode
        customerLocale
        tags
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        totalTaxSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        customer {
          firstName
          lastName
          email
        }
        billingAddress {
          countryCodeV2
          name
        }
        transactions(first: 5) {
          kind
          status
          processedAt
        }
        refunds(first: 5) {
          refundLineItems(first: 10) {
            nodes {
              quantity
              lineItem {
                id
              }
            }
          }
        }
        lineItems(first: 10) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            ...HandoffLineItem
          }
        }
      }
    }
  }
  fragment HandoffLineItem on LineItem {
    id
    sku
    title
    quantity
    originalUnitPriceSet {
      shopMoney {
        amount
        currencyCode
      }
    }
    taxLines {
      priceSet {
        shopMoney {
          amount
          currencyCode
        }
      }
    }
  }
`;

export const LINE_ITEMS_QUERY = /* GraphQL */ `
  query HandoffLineItems($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          sku
          title
          quantity
          originalUnitPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          taxLines {
            priceSet {
              shopMoney {
                amount
                currencyCode
              }
            }
          }
        }
      }
    }
  }
`;

export const SHOP_QUERY = /* GraphQL */ `
  query HandoffShop {
    shop {
      name
      myshopifyDomain
    }
  }
`;

/** Shopify search syntax; the timestamp is quoted because it contains colons. */
export function updatedSinceFilter(since: Date | null): string | null {
  return since ? `updated_at:>='${since.toISOString()}'` : null;
}
