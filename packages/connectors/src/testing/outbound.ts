import type { OutboundPolicy } from '../net/outbound-policy.js';

/** The fakes listen on plain http at 127.0.0.1: what HANDOFF_ALLOW_PRIVATE_HOSTS=1 allows (dev only). */
export const LOOPBACK_FAKES: OutboundPolicy = { allowPrivateHosts: true };
