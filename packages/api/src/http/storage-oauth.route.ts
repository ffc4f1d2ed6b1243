import { Router, type Response } from 'express';
import { HandoffError } from '@handoff/shared';
import type { Orm } from '../db/orm.js';
import type { Services } from '../services.js';
import { OAUTH_CALLBACK_PATH } from '../storage/storage-settings.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

function refusal(res: Response, message: string): void {
  res
    .status(400)
    .set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'Referrer-Policy': 'no-referrer',
    })
    .type('html')
    .send(
      '<!doctype html><html lang="en"><meta charset="utf-8"><title>Storage not connected</title>' +
        '<body style="font-family:system-ui;max-width:36rem;margin:4rem auto;padding:0 1rem">' +
        `<h1>Storage not connected</h1><p>${escapeHtml(message)}</p>` +
        '<p>Go back to the console and start connecting again.</p></body></html>',
    );
}

/**
 * `GET /oauth/storage/callback?code&state`: where Dropbox and Google send the merchant after
 * consent. A valid, fresh, unused state completes the pending connection and redirects to the
 * console with `?storage=<id>`; anything else is a 400 page and stores nothing.
 */
export function storageOAuthRoutes(orm: Orm, services: Services): Router {
  const router = Router();
  router.get(OAUTH_CALLBACK_PATH, async (req, res, next) => {
    const code = typeof req.query.code === 'string' ? req.query.code : undefined;
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    if (typeof req.query.error === 'string') {
      return refusal(res, 'The storage provider did not grant access.');
    }
    try {
      const connection = await services.storage.completeOAuth(orm.em.fork(), { code, state });
      const target = new URL(services.storage.settings.consoleUrl);
      target.searchParams.set('storage', connection.id);
      res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').redirect(302, target.toString());
    } catch (error) {
      if (error instanceof HandoffError) return refusal(res, error.message);
      next(error);
    }
  });
  return router;
}
