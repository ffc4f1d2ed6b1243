import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { merchantContext, type RequestContext } from '../../graphql/request-context.js';
import { payload } from '../../graphql/payload.js';
import type { UserError } from '../../graphql/relay.js';
import { GenericOrderInput, ImportOrdersPayload } from './import-orders.types.js';
import { InputRejected, type PushResult } from './order-push.service.js';

const NOTHING = { created: 0, updated: 0, unchanged: 0, stale: 0, lineErrors: [] };

/** Runs an import; a rejected batch reports every problem as a userError and writes nothing. */
async function importPayload(run: () => Promise<PushResult>): Promise<ImportOrdersPayload> {
  let rejected: UserError[] | null = null;
  const { result, userErrors } = await payload('result', async () => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof InputRejected) rejected = error.userErrors;
      throw error;
    }
  });
  return { ...(result ?? NOTHING), userErrors: rejected ?? userErrors };
}

@Resolver()
export class ImportOrdersResolver {
  @Authorized('orders:write')
  @Mutation(() => ImportOrdersPayload, {
    description: 'Pushes up to 500 orders into a generic connection, in one transaction, idempotent by externalId.',
  })
  importOrders(
    @Arg('connectionId', () => ID) connectionId: string,
    @Arg('orders', () => [GenericOrderInput]) orders: GenericOrderInput[],
    @Ctx() ctx: RequestContext,
  ) {
    return importPayload(() => ctx.services.orderPush.importOrders(merchantContext(ctx), connectionId, orders));
  }

  @Authorized('orders:write')
  @Mutation(() => ImportOrdersPayload, {
    description:
      'Imports a CSV (at most 5 MB; columns external_id, currency, title, quantity, unit_price required) into a generic connection.',
  })
  importOrdersCsv(
    @Arg('connectionId', () => ID) connectionId: string,
    @Arg('csv', () => String) csv: string,
    @Ctx() ctx: RequestContext,
  ) {
    return importPayload(() => ctx.services.orderPush.importCsv(merchantContext(ctx), connectionId, csv));
  }
}
