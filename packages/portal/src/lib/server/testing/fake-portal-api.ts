import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PortalView } from '../../portal/types.js';

/** One request the fake received, as the portal server sent it. */
export interface FakeRequest {
  operation: string;
  variables: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

type Answer = Record<string, unknown>;

export interface FakePortalApi {
  url: string;
  requests: FakeRequest[];
  /** Orders by portal code; unknown codes answer INVALID_CODE. */
  views: Map<string, PortalView>;
  /** Replace the answer of one operation (by operation name, e.g. `PortalContactSeller`). */
  answer(operation: string, respond: (variables: Record<string, unknown>) => Answer): void;
  close(): Promise<void>;
}

const error = (code: string, suspendedUntil: string | null = null) => ({
  code,
  message: code.toLowerCase(),
  suspendedUntil,
});

/**
 * A tiny stand-in for the Handoff API's portal fields on 127.0.0.1, for unit tests of the portal's
 * loads and actions and for looking at pages without the whole stack. It speaks the contract's
 * shapes and knows operations by name; it is not a GraphQL implementation.
 */
export async function startFakePortalApi(options: { token?: string } = {}): Promise<FakePortalApi> {
  const requests: FakeRequest[] = [];
  const views = new Map<string, PortalView>();
  const defaults: Record<string, (v: Record<string, unknown>) => Answer> = {
    Portal: (v) => {
      const view = views.get(String(v.code));
      return { portal: view ? { view, error: null } : { view: null, error: error('INVALID_CODE') } };
    },
    PortalDownloadLink: (v) => {
      const view = views.get(String(v.code));
      const file = view?.files.find((f) => f.grantId === v.grantId);
      if (!view) return { portalDownloadLink: { url: null, expiresAt: null, error: error('INVALID_CODE') } };
      if (view.waiverRequired)
        return { portalDownloadLink: { url: null, expiresAt: null, error: error('WAIVER_REQUIRED') } };
      if (!file || file.state !== 'AVAILABLE')
        return { portalDownloadLink: { url: null, expiresAt: null, error: error('NOT_AVAILABLE') } };
      return {
        portalDownloadLink: {
          url: `http://127.0.0.1:9/d/token-for-${file.grantId}`,
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
          error: null,
        },
      };
    },
    PortalAcceptWaiver: (v) => {
      const view = views.get(String(v.code));
      if (!view) return { portalAcceptWaiver: { ok: false, error: error('INVALID_CODE') } };
      view.waiverRequired = false;
      view.waiverAcceptedAt = new Date().toISOString();
      return { portalAcceptWaiver: { ok: true, error: null } };
    },
    PortalContactSeller: (v) =>
      views.has(String(v.code))
        ? { portalContactSeller: { ok: true, error: null } }
        : { portalContactSeller: { ok: false, error: error('INVALID_CODE') } },
    PortalRequestNewLink: () => ({ portalRequestNewLink: { ok: true, error: null } }),
  };
  const overrides = new Map<string, (v: Record<string, unknown>) => Answer>();

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
        return send(401, { errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
      }
      let parsed: { query?: string; variables?: Record<string, unknown> };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        return send(400, { errors: [{ message: 'Bad JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(parsed.query ?? '')?.[1] ?? '';
      const variables = parsed.variables ?? {};
      requests.push({ operation, variables, headers: req.headers });
      const respond = overrides.get(operation) ?? defaults[operation];
      if (!respond) return send(400, { errors: [{ message: `Unknown operation ${operation}` }] });
      try {
        send(200, { data: respond(variables) });
      } catch (e) {
        send(200, { errors: [{ message: (e as Error).message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    views,
    answer: (operation, respond) => void overrides.set(operation, respond),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An order view for tests: two files, one available and one expired, in euros. */
export function sampleView(overrides: Partial<PortalView> = {}): PortalView {
  return {
    order: {
      number: '1001',
      placedAt: '2026-03-12T09:30:00.000Z',
      currency: 'EUR',
      total: 3980,
      items: [
        { title: 'The Big Book (PDF + EPUB)', quantity: 1, unitPrice: 1990 },
        { title: 'Audio edition', quantity: 1, unitPrice: 1990 },
      ],
    },
    merchant: {
      name: 'Käse & Bits',
      logoUrl: null,
      accentColor: '#0f7b6c',
      introText: 'Thank you for your order! Your files are ready below.',
      contactEmail: 'shop@example.test',
    },
    files: [
      {
        grantId: 'g-1',
        name: 'the-big-book.pdf',
        size: 2_450_000,
        contentType: 'application/pdf',
        remaining: 5,
        expiresAt: '2026-04-11T09:30:00.000Z',
        state: 'AVAILABLE',
      },
      {
        grantId: 'g-2',
        name: 'audio-edition.zip',
        size: 310_000_000,
        contentType: 'application/zip',
        remaining: 0,
        expiresAt: '2026-03-13T09:30:00.000Z',
        state: 'EXPIRED',
      },
    ],
    licenseKeys: [],
    invoiceUrl: null,
    language: null,
    waiverRequired: false,
    waiverAcceptedAt: null,
    ...overrides,
  };
}
