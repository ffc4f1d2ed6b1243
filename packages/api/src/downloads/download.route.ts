import { pipeline } from 'node:stream';
import { Router, type Request, type Response } from 'express';
import {
  attachmentDisposition,
  contentTypeFor,
  StorageError,
  type ByteRange,
  type OpenedFile,
  type StorageProvider,
} from '@handoff/connectors';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContextDeps } from '../graphql/context-factory.js';
import { parseRangeHeader } from './byte-range-header.js';
import { refusal, type Admission, type DeliveryService, type Refusal } from './delivery.service.js';

/**
 * `GET|HEAD /d/:token`: the buyer's download. Refusals are JSON `{ error: { code, message } }`;
 * an admitted request is redirected to the provider's temporary URL (storage delivery `redirect`)
 * or streamed with Range support and backpressure. The token never reaches a log line.
 */
export function downloadRoutes(deps: ContextDeps): Router {
  const router = Router();
  const delivery = deps.services.downloads;
  const handle = (head: boolean) => async (req: Request, res: Response) => {
    const em = deps.orm.em.fork();
    const token = typeof req.params.token === 'string' ? req.params.token : '';
    const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
    const admitted = await delivery.admit(em, { token, ip: req.ip, userAgent: req.get('user-agent'), range, head });
    if (!admitted.ok) return refuse(res, admitted.refusal);
    const admission = admitted.admission;
    try {
      await serve(deps, delivery, em, admission, req, res, head);
    } catch (error) {
      if (!(error instanceof StorageError) && !isStorageFailure(error)) {
        await delivery.refund(em, admission);
        throw error;
      }
      await delivery.refund(em, admission);
      if (!head) await delivery.record(em, { ...admission, range, outcome: 'STORAGE_UNAVAILABLE' });
      req.log.warn({ err: error, grantId: admission.grant.id }, 'storage failed a download');
      if (!res.headersSent) refuse(res, refusal('STORAGE_UNAVAILABLE'));
      else res.destroy();
    }
  };
  router.head('/d/:token', handle(true));
  router.get('/d/:token', handle(false));
  return router;
}

/** The storage connection itself is gone or unauthorized (providerFor's NOT_FOUND). */
function isStorageFailure(error: unknown): boolean {
  return (error as { code?: string })?.code === 'NOT_FOUND';
}

function refuse(res: Response, r: Refusal): void {
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (r.suspendedUntil) {
    const seconds = Math.max(1, Math.ceil((r.suspendedUntil.getTime() - Date.now()) / 1000));
    res.setHeader('Retry-After', String(seconds));
  }
  res.status(r.status).json({
    error: {
      code: r.code,
      message: r.message,
      ...(r.suspendedUntil && { suspendedUntil: r.suspendedUntil.toISOString() }),
    },
  });
}

async function serve(
  deps: ContextDeps,
  delivery: DeliveryService,
  em: EntityManager,
  admission: Admission,
  req: Request,
  res: Response,
  head: boolean,
): Promise<void> {
  const file = admission.grant.productFile;
  const { connection, provider } = await deps.services.storage.providerFor(
    em,
    admission.grant.merchant.id,
    file.storage.id,
  );
  const rangeHeader = typeof req.headers.range === 'string' ? req.headers.range : undefined;
  const common = {
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };

  if (head) {
    const entry = await provider.stat(file.ref);
    if (entry.kind !== 'file' || entry.size === null) throw new StorageError('not_found', 'not a file');
    res.set({
      ...common,
      'Accept-Ranges': 'bytes',
      'Content-Type': entry.contentType ?? contentTypeFor(file.displayName),
      'Content-Length': String(entry.size),
      'Content-Disposition': attachmentDisposition(file.displayName),
    });
    res.status(200).end();
    return;
  }

  if (connection.delivery === 'redirect' && provider.temporaryUrl) {
    const url = await provider.temporaryUrl(file.ref, delivery.settings.redirectTtlSeconds, file.displayName);
    res.set(common);
    res.redirect(302, url);
    await delivery.record(em, { ...admission, range: rangeHeader, outcome: admission.outcome, redirected: true });
    return;
  }

  const ask = parseRangeHeader(rangeHeader);
  let range: ByteRange | undefined;
  if (ask.kind === 'range') range = ask.range;
  if (ask.kind === 'suffix') {
    const size = await sizeOf(provider, file.ref, file.size);
    range = { start: Math.max(0, size - ask.length), end: size - 1 };
    if (size === 0) range = { start: 0, end: -1 };
  }
  let opened: OpenedFile;
  try {
    opened = await provider.open(file.ref, range);
  } catch (error) {
    if (error instanceof StorageError && error.reason === 'range_not_satisfiable') {
      await delivery.refund(em, admission);
      const size = await sizeOf(provider, file.ref, file.size).catch(() => null);
      res.set({ ...common, ...(size !== null && { 'Content-Range': `bytes */${size}` }) });
      res
        .status(416)
        .json({ error: { code: 'RANGE_NOT_SATISFIABLE', message: 'The asked range is outside the file.' } });
      return;
    }
    throw error;
  }

  const served = opened.range;
  res.status(served ? 206 : 200);
  res.set({
    ...common,
    'Accept-Ranges': 'bytes',
    'Content-Type': opened.contentType ?? contentTypeFor(file.displayName),
    'Content-Disposition': attachmentDisposition(file.displayName),
    'Content-Length': String(served ? served.end - served.start + 1 : opened.size),
    ...(served && { 'Content-Range': `bytes ${served.start}-${served.end}/${opened.size}` }),
  });
  let read = 0;
  opened.stream.on('data', (chunk: Buffer) => {
    read += chunk.length;
  });
  res.once('close', () => {
    const completed = res.writableFinished;
    // What the response still held when the buyer went away never left.
    const bytesSent = completed ? read : Math.max(0, read - res.writableLength);
    delivery
      .record(em, { ...admission, range: rangeHeader, outcome: admission.outcome, bytesSent, completed })
      .catch((error: unknown) => req.log.error({ err: error }, 'could not record a download event'));
  });
  pipeline(opened.stream, res, () => {
    // Errors after the headers went out end the connection; the close handler records the abort.
  });
}

async function sizeOf(provider: StorageProvider, ref: string, known: number | null): Promise<number> {
  if (known !== null) return known;
  const entry = await provider.stat(ref);
  if (entry.size === null) throw new StorageError('not_found', 'not a file');
  return entry.size;
}
