import type { OutboundPolicy } from '@handoff/connectors';
import { requireOutboundUrl } from '../security/outbound.js';

/**
 * The hosts a connection's settings make its connector call: every `…Url` setting (baseUrl,
 * siteUrl, lwaUrl) and Shopify's `shop` domain. Each must pass the outbound policy on save; the
 * guarded client checks again on every call.
 */
export async function checkChannelEndpoints(settings: Record<string, string>, policy: OutboundPolicy): Promise<void> {
  for (const [key, value] of Object.entries(settings)) {
    const url = /url$/i.test(key) ? value : key === 'shop' ? `https://${value}` : null;
    if (url !== null) await requireOutboundUrl(url, `settings.${key}`, policy);
  }
}
