import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChannelHttp } from '../channels/http/channel-http.js';
import { WooCommerceConnector } from '../channels/woocommerce/woocommerce.connector.js';
import { ChannelError } from '../channels/channel-connector.js';
import { listenOnLoopback, type LoopbackServer } from '../testing/loopback-server.js';
import { createGuardedFetch } from './guarded-fetch.js';
import { OutboundRefusedError, STRICT_OUTBOUND, type OutboundPolicy, type Resolver } from './outbound-policy.js';

/** Resolves like a DNS server the test controls: public names to a public address, the rest as given. */
const dnsOf =
  (answers: Record<string, string[]>): Resolver =>
  async (host) =>
    (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

/** The refusal behind a rejected fetch (undici wraps a refused DNS answer as the cause). */
async function refusalOf(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  const refused = error instanceof OutboundRefusedError ? error : (error as { cause?: unknown } | null)?.cause;
  expect(refused).toBeInstanceOf(OutboundRefusedError);
  return refused as OutboundRefusedError;
}

describe('the guarded outbound client', () => {
  let server: LoopbackServer;
  let other: LoopbackServer;
  let port: string;
  const hits: { url: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = await listenOnLoopback((req, res) => {
      hits.push({ url: req.url ?? '', headers: req.headers });
      if (req.url === '/hop') {
        res.writeHead(302, { location: `${other.url}/landing` }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('secret data');
    });
    other = await listenOnLoopback((req, res) => {
      hits.push({ url: `other${req.url ?? ''}`, headers: req.headers });
      res.end('landed');
    });
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await server?.close();
    await other?.close();
  });
  beforeEach(() => {
    hits.length = 0;
  });

  const credentials = { headers: { authorization: 'Basic c2VjcmV0OmtleQ==' } };

  it.each([
    ['plain http', (p: string) => `http://127.0.0.1:${p}/`],
    ['plain http to a public-looking name', () => 'http://shop.example/'],
    ['127.0.0.1', (p: string) => `https://127.0.0.1:${p}/`],
    ['localhost (resolves to loopback)', (p: string) => `https://localhost:${p}/`],
    ['IPv4-mapped IPv6', (p: string) => `https://[::ffff:127.0.0.1]:${p}/`],
    ['IPv6 loopback', (p: string) => `https://[::1]:${p}/`],
    ['decimal IP', (p: string) => `https://2130706433:${p}/`],
    ['octal IP', (p: string) => `https://0177.0.0.1:${p}/`],
    ['hex IP', (p: string) => `https://0x7f.1:${p}/`],
    ['cloud metadata', () => 'https://169.254.169.254/latest/meta-data/'],
    ['CGNAT', () => 'https://100.64.0.1/'],
    ['private 10/8', () => 'https://10.0.0.1/'],
    ['unspecified', (p: string) => `https://0.0.0.0:${p}/`],
    ['user:password in the URL', () => 'https://user:pass@shop.example/'],
    ['another scheme', () => 'file:///etc/passwd'],
  ])('refuses %s before anything is sent (setting off)', async (_label, spell) => {
    await refusalOf(createGuardedFetch(STRICT_OUTBOUND)(spell(port), credentials));
    expect(hits).toEqual([]);
  });

  it('refuses a host name that resolves to a private address, or to a mix of public and private', async () => {
    const policy: OutboundPolicy = {
      allowPrivateHosts: false,
      resolve: dnsOf({ 'evil.example': ['127.0.0.1'], 'mixed.example': ['93.184.216.34', '10.1.2.3'] }),
    };
    let sent = 0;
    const network: typeof fetch = async () => {
      sent++;
      return new Response('never');
    };
    for (const url of ['https://evil.example/', 'https://mixed.example/']) {
      expect((await refusalOf(createGuardedFetch(policy, network)(url, credentials))).message).toMatch(/resolves to/);
    }
    // The real network path too: the socket's own lookup refuses, so nothing connects.
    await refusalOf(createGuardedFetch(policy)(`https://evil.example:${port}/`, credentials));
    expect(sent).toBe(0);
    expect(hits).toEqual([]);
  });

  it('refuses a redirect from an allowed host to a private one, and never sends it the credentials', async () => {
    const policy: OutboundPolicy = { allowPrivateHosts: false, resolve: dnsOf({ 'shop.example': ['93.184.216.34'] }) };
    for (const target of [`http://127.0.0.1:${port}/steal`, 'https://169.254.169.254/', `https://localhost:${port}/`]) {
      const sentTo: string[] = [];
      const network: typeof fetch = async (input) => {
        sentTo.push(String(input));
        return new Response(null, { status: 302, headers: { location: target } });
      };
      await refusalOf(createGuardedFetch(policy, network)('https://shop.example/api', credentials));
      expect(sentTo).toEqual(['https://shop.example/api']);
    }
    expect(hits).toEqual([]);
  });

  it('connects to the address it checked (pinned), not to a second DNS answer', async () => {
    let lookups = 0;
    const policy: OutboundPolicy = {
      allowPrivateHosts: true,
      resolve: async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    };
    // `pinned.invalid` has no real DNS answer: reaching the server proves our checked answer was used.
    const res = await createGuardedFetch(policy)(`http://pinned.invalid:${port}/`);
    expect(await res.text()).toBe('secret data');
    expect(lookups).toBe(1);
    expect(hits.map((h) => h.headers.host)).toEqual([`pinned.invalid:${port}`]);
  });

  it('follows a redirect to another origin without the credentials (setting on)', async () => {
    const res = await createGuardedFetch({ allowPrivateHosts: true })(`${server.url}/hop`, credentials);
    expect(await res.text()).toBe('landed');
    expect(hits.map((h) => [h.url, h.headers.authorization])).toEqual([
      ['/hop', 'Basic c2VjcmV0OmtleQ=='],
      ['other/landing', undefined],
    ]);
  });

  it('channel HTTP fails at once, not retried, when the guard refuses', async () => {
    const error = await createChannelHttp({ sleep: async () => {} })
      .request(`${server.url}/x`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toMatch(/refused: must be an https:\/\/ URL/);
    expect(hits).toEqual([]);
  });

  it('WooCommerce never sends its Basic credentials to a private or plain-http site', async () => {
    for (const baseUrl of [server.url, `https://127.0.0.1:${port}`, `https://[::ffff:7f00:1]:${port}`]) {
      const connector = new WooCommerceConnector({
        credentials: { consumerKey: 'ck_live', consumerSecret: 'cs_live' },
        settings: { baseUrl },
      });
      await expect(connector.testConnection()).rejects.toBeInstanceOf(ChannelError);
    }
    expect(hits).toEqual([]);
  });
});
