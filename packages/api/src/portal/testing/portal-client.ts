import type { GraphQLResponse, TestApi } from '../../testing/test-api.js';

export interface PortalCallOptions {
  /** X-Handoff-Client-Ip */
  ip?: string;
  /** X-Handoff-Client-Ua */
  ua?: string;
  /** Another bearer than the portal token (a merchant key); null: none. */
  bearer?: string | null;
}

/** Calls the API the way the portal server does: its token, the buyer's IP and user agent. */
export function portalClient(api: TestApi, token: string) {
  return async <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: PortalCallOptions = {},
  ): Promise<GraphQLResponse<T>> => {
    const bearer = options.bearer === undefined ? token : options.bearer;
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'apollo-require-preflight': 'true',
        ...(bearer && { authorization: `Bearer ${bearer}` }),
        ...(options.ip && { 'x-handoff-client-ip': options.ip }),
        ...(options.ua && { 'x-handoff-client-ua': options.ua }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };
}

export const PORTAL_VIEW = `query($code: String!) {
  portal(code: $code) {
    view {
      order { number placedAt currency total items { title quantity unitPrice } }
      merchant { name logoUrl accentColor introText contactEmail }
      files { grantId name size contentType remaining expiresAt state }
      licenseKeys { product key }
      invoiceUrl language waiverRequired waiverAcceptedAt
    }
    error { code message suspendedUntil }
  }
}`;

export const DOWNLOAD_LINK = `mutation($code: String!, $grantId: ID!) {
  portalDownloadLink(code: $code, grantId: $grantId) { url expiresAt error { code message suspendedUntil } }
}`;

export const ACCEPT_WAIVER = `mutation($code: String!) {
  portalAcceptWaiver(code: $code) { ok error { code message } }
}`;

export const CONTACT_SELLER = `mutation($code: String!, $message: String!, $replyTo: String) {
  portalContactSeller(code: $code, message: $message, replyTo: $replyTo) { ok error { code message } }
}`;

export const NEW_LINK = `mutation($email: String!) {
  portalRequestNewLink(email: $email) { ok error { code message } }
}`;

export interface PortalErrorShape {
  code: string;
  message: string;
  suspendedUntil: string | null;
}

export interface PortalFileShape {
  grantId: string;
  name: string;
  size: number | null;
  contentType: string | null;
  remaining: number | null;
  expiresAt: string | null;
  state: string;
}

export interface PortalViewShape {
  order: { number: string; placedAt: string; currency: string; total: number; items: unknown[] };
  merchant: Record<string, unknown>;
  files: PortalFileShape[];
  licenseKeys: unknown[];
  invoiceUrl: string | null;
  language: string | null;
  waiverRequired: boolean;
  waiverAcceptedAt: string | null;
}
