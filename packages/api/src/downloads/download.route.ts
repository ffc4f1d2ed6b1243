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
import { requestedRange, type RangeAsk } from './byte-range-header.js';
import { refusal, type Admission, type DeliveryService, type Refusal } from './delivery.service.js';
import { byteCapOf } from './use-bytes.js';

/**
 * `GET|HEAD /d/:token`: the buyer's download. Refusals are JSON `{ error: { code, message } }`;
 * an admitted request is redirected to the provider's temporary URL (storage delivery `redirect`)
 * or streamed with Range support and backpressure. Every response claims its use (or its bytes on
 * the use it resumes) only once storage has answered, so a storage failure costs nothing. The
 * token never reaches a log line.
 */
export function downloadRoutes(deps: ContextDeps): Router {
  const router = Router();
  const delivery = deps.services.downloads;
  const handle = (head: boolean) => async (req: Request, res: Response) => {
    const em = deps.orm.em.fork();
    const token = typeof req.params.token === 'string' ? req.params.token : '';
    const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
    const ifRange = typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined;
    const ask = requestedRange(range, ifRange);
    const admitted = await delivery.admit(em, {
      token,
      ip: req.ip,
      userAgent: req.get('user-agent'),
      range,
      ask,
      head,
    });
    if (!admitted.ok) return refuse(res, admitted.refusal);
    const admission = admitted.admission;
    try {
      await serve(deps, delivery, em, admission, ask, req, res, head);
    } catch (error) {
      if (!(error instanceof StorageError) && !isStorageFailure(error)) throw error;
      if (!head) await delivery.record(em, { ...admission, outcome: 'STORAGE_UNAVAILABLE' });
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

const COMMON_HEADERS = {
  'Cache-Control': 'private, no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

async function serve(
  deps: ContextDeps,
  delivery: DeliveryService,
  em: EntityManager,
  admission: Admission,
  ask: RangeAsk,
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

  if (head) {
    const entry = await provider.stat(file.ref);
    if (entry.kind !== 'file' || entry.size === null) throw new StorageError('not_found', 'not a file');
    res.set({
      ...COMMON_HEADERS,
      'Accept-Ranges': 'bytes',
      'Content-Type': entry.contentType ?? contentTypeFor(file.displayName),
      'Content-Length': String(entry.size),
      'Content-Disposition': attachmentDisposition(file.displayName),
    });
    res.status(200).end();
    return;
  }

  if (connection.delivery === 'redirect' && provider.temporaryUrl) {
    // The URL hands out the whole file until it expires: every one costs a use, Range or not, and
    // its use has no bytes left for a stream to resume.
    const url = await provider.temporaryUrl(file.ref, delivery.settings.redirectTtlSeconds, file.displayName);
    const claimed = await delivery.claim(em, admission, { bytes: 0, cap: 0, resumable: false });
    if (!claimed.ok) return refuse(res, claimed.refusal);
    res.set(COMMON_HEADERS);
    res.redirect(302, url);
    await delivery.record(em, { ...admission, outcome: claimed.use.outcome, redirected: true });
    return;
  }

  const opened = await openAsked(provider, file.ref, file.size, ask);
  if (opened === 'unsatisfiable') {
    await delivery.record(em, { ...admission, outcome: 'RANGE_NOT_SATISFIABLE' });
    const size = await sizeOf(provider, file.ref, file.size).catch(() => null);
    if (size !== null) res.setHeader('Content-Range', `bytes */${size}`);
    return refuse(res, refusal('RANGE_NOT_SATISFIABLE'));
  }
  const served = opened.range;
  const length = served ? served.end - served.start + 1 : opened.size;
  const want = { bytes: length, cap: byteCapOf(opened.size), resumable: Boolean(served && served.start > 0) };
  const claimed = await delivery.claim(em, admission, want).catch((error: unknown) => {
    opened.stream.destroy();
    throw error;
  });
  if (!claimed.ok) {
    opened.stream.destroy();
    return refuse(res, claimed.refusal);
  }
  const use = claimed.use;

  res.status(served ? 206 : 200);
  res.set({
    ...COMMON_HEADERS,
    'Accept-Ranges': 'bytes',
    'Content-Type': opened.contentType ?? contentTypeFor(file.displayName),
    'Content-Disposition': attachmentDisposition(file.displayName),
    'Content-Length': String(length),
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
      .settle(em, use, bytesSent)
      .then(() => delivery.record(em, { ...admission, outcome: use.outcome, bytesSent, completed }))
      .catch((error: unknown) => req.log.error({ err: error }, 'could not record a download event'));
  });
  pipeline(opened.stream, res, () => {
    // Errors after the headers went out end the connection; the close handler records the abort.
  });
}

/** Opens what the request asks for; 'unsatisfiable' when the range lies outside the file. */
async function openAsked(
  provider: StorageProvider,
  ref: string,
  knownSize: number | null,
  ask: RangeAsk,
): Promise<OpenedFile | 'unsatisfiable'> {
  let range: ByteRange | undefined;
  if (ask.kind === 'range') range = ask.range;
  if (ask.kind === 'suffix') {
    const size = await sizeOf(provider, ref, knownSize);
    if (size === 0) return 'unsatisfiable';
    range = { start: Math.max(0, size - ask.length), end: size - 1 };
  }
  try {
    return await provider.open(ref, range);
  } catch (error) {
    if (error instanceof StorageError && error.reason === 'range_not_satisfiable') return 'unsatisfiable';
    throw error;
  }
}

async function sizeOf(provider: StorageProvider, ref: string, known: number | null): Promise<number> {
  if (known !== null) return known;
  const entry = await provider.stat(ref);
  if (entry.size === null) throw new StorageError('not_found', 'not a file');
  return entry.size;
}
