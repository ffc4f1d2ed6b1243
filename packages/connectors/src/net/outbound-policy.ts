import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isForbiddenAddress } from './forbidden-addresses.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has (dns.lookup by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * Where outbound calls made on a merchant's behalf may go. Off by default: HTTPS only, and no
 * loopback, private, link-local, CGNAT, multicast or reserved address, judged after DNS resolution.
 */
export interface OutboundPolicy {
  /** The operator's dev-only HANDOFF_ALLOW_PRIVATE_HOSTS: plain http and private hosts (tests, fakes). */
  allowPrivateHosts: boolean;
  resolve?: Resolver;
}

export const STRICT_OUTBOUND: OutboundPolicy = { allowPrivateHosts: false };

/** An outbound call refused before anything was sent; `message` says why, without credentials. */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

/** The host has no DNS answer (now): refused for a call, tolerated when a setting is saved. */
export class UnresolvableHostError extends OutboundRefusedError {}

const defaultResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Checks what can be checked without DNS: a parseable URL, https (http only when private hosts are
 * allowed), no user:password part, and an IP literal host (however spelled: WHATWG parsing turns
 * `2130706433` and `0177.1` into 127.0.0.1) outside the forbidden ranges. Returns the parsed URL.
 */
export function checkOutboundUrl(raw: string | URL, policy: OutboundPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefusedError('is not a valid URL');
  }
  const schemes = policy.allowPrivateHosts ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new OutboundRefusedError('must be an https:// URL');
  if (url.username || url.password) throw new OutboundRefusedError('must not contain a user name or password');
  checkHostLiteral(url.hostname, policy);
  return url;
}

/** Refuses a forbidden IP literal (brackets allowed); host names pass, they are judged after DNS. */
export function checkHostLiteral(hostname: string, policy: OutboundPolicy): void {
  if (policy.allowPrivateHosts) return;
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (!bare) throw new OutboundRefusedError('has no host');
  if (isIP(bare) && isForbiddenAddress(bare)) {
    throw new OutboundRefusedError(`must not point at a private, loopback or link-local address (${bare})`);
  }
}

/**
 * Resolves `hostname` and returns the addresses to connect to, refusing the host when ANY of them is
 * forbidden (a name must not mix public and private answers). Callers connect to these addresses
 * only, so a second, different DNS answer (rebinding) is never used.
 */
export async function resolveOutboundHost(hostname: string, policy: OutboundPolicy): Promise<ResolvedAddress[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family) {
    checkHostLiteral(bare, policy);
    return [{ address: bare, family }];
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (policy.resolve ?? defaultResolver)(bare);
  } catch {
    throw new UnresolvableHostError(`host ${bare} could not be resolved`);
  }
  if (addresses.length === 0) throw new UnresolvableHostError(`host ${bare} could not be resolved`);
  if (!policy.allowPrivateHosts) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) {
      throw new OutboundRefusedError(`host ${bare} resolves to a private, loopback or link-local address`);
    }
  }
  return addresses;
}

/**
 * The check of a host a merchant saves: refused when it is (or resolves to) a forbidden address.
 * A name without a DNS answer right now is let through: every call resolves and checks it again.
 */
export async function screenOutboundHost(hostname: string, policy: OutboundPolicy): Promise<void> {
  checkHostLiteral(hostname, policy);
  if (policy.allowPrivateHosts) return;
  try {
    await resolveOutboundHost(hostname, policy);
  } catch (error) {
    if (!(error instanceof UnresolvableHostError)) throw error;
  }
}

/** The check of a URL a merchant saves (channel base URLs, storage endpoints). */
export async function assertOutboundUrl(raw: string | URL, policy: OutboundPolicy): Promise<URL> {
  const url = checkOutboundUrl(raw, policy);
  await screenOutboundHost(url.hostname, policy);
  return url;
}
