import { OutboundRefusedError, assertOutboundUrl, type OutboundPolicy } from '@handoff/connectors';
import { invalidInput } from '@handoff/shared';
import type { Config } from '../config.js';

/** Where calls on a merchant's behalf may go: strict unless the operator's dev-only setting is on. */
export function outboundPolicy(config: Pick<Config, 'HANDOFF_ALLOW_PRIVATE_HOSTS'>): OutboundPolicy {
  return { allowPrivateHosts: config.HANDOFF_ALLOW_PRIVATE_HOSTS };
}

/** Checks a URL a merchant gives us (https, public after DNS); a refusal is BAD_USER_INPUT on `field`. */
export async function requireOutboundUrl(url: string, field: string, policy: OutboundPolicy): Promise<void> {
  try {
    await assertOutboundUrl(url, policy);
  } catch (error) {
    if (error instanceof OutboundRefusedError) throw invalidInput(`${field} ${error.message}`, field);
    throw error;
  }
}
