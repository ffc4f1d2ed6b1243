import type { GraphqlClient } from './graphql.js';
import type { PortalError, PortalView } from '../portal/types.js';

const ERROR = 'error { code message suspendedUntil }';

export const PORTAL_QUERY = `query Portal($code: String!) {
  portal(code: $code) {
    view {
      order { number placedAt currency total items { title quantity unitPrice } }
      merchant { name logoUrl accentColor introText contactEmail }
      files { grantId name size contentType remaining expiresAt state }
      licenseKeys { product key }
      invoiceUrl language waiverRequired waiverAcceptedAt
    }
    ${ERROR}
  }
}`;

const DOWNLOAD_LINK = `mutation PortalDownloadLink($code: String!, $grantId: ID!) {
  portalDownloadLink(code: $code, grantId: $grantId) { url expiresAt ${ERROR} }
}`;

const ACCEPT_WAIVER = `mutation PortalAcceptWaiver($code: String!) {
  portalAcceptWaiver(code: $code) { ok ${ERROR} }
}`;

const CONTACT_SELLER = `mutation PortalContactSeller($code: String!, $message: String!, $replyTo: String) {
  portalContactSeller(code: $code, message: $message, replyTo: $replyTo) { ok ${ERROR} }
}`;

const REQUEST_NEW_LINK = `mutation PortalRequestNewLink($email: String!) {
  portalRequestNewLink(email: $email) { ok ${ERROR} }
}`;

export type PortalResult = { view: PortalView; error: null } | { view: null; error: PortalError };
export interface ActionResult {
  ok: boolean;
  error: PortalError | null;
}
export interface DownloadLinkResult {
  url: string | null;
  expiresAt: string | null;
  error: PortalError | null;
}

/** The portal fields of the Handoff API; every call goes out with the portal token and the buyer's headers. */
export interface PortalApi {
  portal(code: string): Promise<PortalResult>;
  downloadLink(code: string, grantId: string): Promise<DownloadLinkResult>;
  acceptWaiver(code: string): Promise<ActionResult>;
  contactSeller(code: string, message: string, replyTo: string | null): Promise<ActionResult>;
  requestNewLink(email: string): Promise<ActionResult>;
}

export function createPortalApi(client: GraphqlClient): PortalApi {
  return {
    async portal(code) {
      const data = await client.request<{ portal: PortalResult }, { code: string }>(PORTAL_QUERY, { code });
      return data.portal;
    },
    async downloadLink(code, grantId) {
      const data = await client.request<{ portalDownloadLink: DownloadLinkResult }, { code: string; grantId: string }>(
        DOWNLOAD_LINK,
        { code, grantId },
      );
      return data.portalDownloadLink;
    },
    async acceptWaiver(code) {
      const data = await client.request<{ portalAcceptWaiver: ActionResult }, { code: string }>(ACCEPT_WAIVER, {
        code,
      });
      return data.portalAcceptWaiver;
    },
    async contactSeller(code, message, replyTo) {
      const data = await client.request<
        { portalContactSeller: ActionResult },
        { code: string; message: string; replyTo: string | null }
      >(CONTACT_SELLER, { code, message, replyTo });
      return data.portalContactSeller;
    },
    async requestNewLink(email) {
      const data = await client.request<{ portalRequestNewLink: ActionResult }, { email: string }>(REQUEST_NEW_LINK, {
        email,
      });
      return data.portalRequestNewLink;
    },
  };
}

/**
 * The buyer's address and user agent for the API (suspension, consent records, download events).
 * Header values must be visible ASCII: anything else is dropped and the agent is cut at 512 characters.
 */
export function clientHeaders(ip: string, userAgent: string | null): Record<string, string> {
  const clean = (value: string, max: number) => value.replace(/[^\x20-\x7e]/g, '').slice(0, max);
  return {
    'x-handoff-client-ip': clean(ip, 64),
    'x-handoff-client-ua': clean(userAgent ?? '', 512),
  };
}
