/** Associations the mapper reads; nested ones load the states and the buyer's locale and country. */
const ASSOCIATIONS = {
  lineItems: {},
  transactions: { associations: { stateMachineState: {} } },
  stateMachineState: {},
  orderCustomer: {},
  currency: {},
  language: { associations: { locale: {} } },
  billingAddress: { associations: { country: {} } },
  tags: {},
};

/**
 * Criteria for one page of orders changed since `since`. `updatedAt` stays null until an order is
 * first changed, so new orders are matched on `createdAt`. Sorting by both, then id, keeps pages
 * stable while the run goes on.
 */
export function orderCriteria(page: number, limit: number, since: Date | null): Record<string, unknown> {
  const gte = since?.toISOString();
  return {
    page,
    limit,
    'total-count-mode': 1,
    ...(gte
      ? {
          filter: [
            {
              type: 'multi',
              operator: 'or',
              queries: [
                { type: 'range', field: 'updatedAt', parameters: { gte } },
                { type: 'range', field: 'createdAt', parameters: { gte } },
              ],
            },
          ],
        }
      : {}),
    sort: [
      { field: 'updatedAt', order: 'ASC' },
      { field: 'createdAt', order: 'ASC' },
      { field: 'id', order: 'ASC' },
    ],
    associations: ASSOCIATIONS,
  };
}
