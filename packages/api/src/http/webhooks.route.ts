import express, { Router } from 'express';
import { HandoffError } from '@handoff/shared';
import type { Orm } from '../db/orm.js';
import type { Services } from '../services.js';

/** `POST /webhooks/:connectionId`: the raw body is kept, since signatures are over the exact bytes. */
export function webhookRoutes(orm: Orm, services: Services): Router {
  const router = Router();
  router.post('/webhooks/:connectionId', express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      const result = await services.webhooks.receive(orm.em.fork(), req.params.connectionId, body, req.headers);
      // 410 Gone: a status channels treat as a failed delivery (WooCommerce pauses the webhook after
      // a few, Shopify retries and then gives up) instead of the success a 2xx would report.
      if (result.status === 'refused')
        res.status(410).json({ error: { code: 'CONNECTION_DISABLED', message: result.message } });
      else
        res.json(result.status === 'duplicate' ? { status: 'duplicate' } : { status: 'processed', ...result.counts });
    } catch (error) {
      if (!(error instanceof HandoffError)) throw error;
      res.status(error.httpStatus).json({ error: { code: error.code, message: error.message } });
    }
  });
  return router;
}
