import type { StoragePipelineOptions } from '@azure/storage-blob';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { guardedLookup } from '../../net/guarded-fetch.js';
import type { OutboundPolicy } from '../../net/outbound-policy.js';

/**
 * Options of @azure/core-rest-pipeline that the storage SDK passes through to it unchanged (its own
 * StoragePipelineOptions type does not list them): the agent every request uses, and redirects.
 */
type GuardedPipelineOptions = StoragePipelineOptions & {
  agent: HttpAgent;
  redirectOptions: { maxRetries: number };
};

/**
 * Pipeline options that keep the SDK on checked addresses: its sockets resolve the endpoint through
 * the outbound policy (the address checked is the address connected to, no DNS rebinding), and it
 * follows no redirect (a 3xx surfaces as an error), so it can never be sent on to another host.
 */
export function guardedPipelineOptions(
  serviceUrl: string,
  policy: OutboundPolicy,
  maxTries: number,
): StoragePipelineOptions {
  const lookup = guardedLookup(policy);
  // One agent per provider: its endpoint is fixed, and an http(s) request refuses the other agent kind.
  const agent = serviceUrl.startsWith('http:')
    ? new HttpAgent({ keepAlive: true, lookup })
    : new HttpsAgent({ keepAlive: true, lookup });
  const options: GuardedPipelineOptions = {
    retryOptions: { maxTries },
    agent,
    redirectOptions: { maxRetries: 0 },
  };
  return options;
}
