import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../storage/testing/stream-helpers.js';
import { NotificationError, type OutgoingMessage } from '../notification-transport.js';
import { STRICT_OUTBOUND } from '../../net/outbound-policy.js';
import { SmtpTransport } from './smtp.transport.js';
import { startSmtpTestServer, type SmtpTestServer } from './testing/smtp-test-server.js';

const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  from: 'Shop <shop@handoff.test>',
  to: 'buyer@example.test',
  replyTo: 'support@handoff.test',
  subject: 'Your download is ready',
  html: '<p>Hello <b>buyer</b>, <a href="https://hub.test/p/CODE">get your files</a>.</p>',
  text: 'Hello buyer, get your files: https://hub.test/p/CODE',
  headers: { 'X-Handoff-Order': '42' },
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<NotificationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NotificationError);
  return error as NotificationError;
}

describe('SmtpTransport against a real SMTP server', () => {
  let server: SmtpTestServer;
  let transport: SmtpTransport;

  beforeAll(async () => {
    server = await startSmtpTestServer();
    transport = new SmtpTransport({ host: '127.0.0.1', port: server.port });
  });

  afterAll(async () => {
    await transport?.close();
    await server?.close();
  });

  beforeEach(() => {
    server.received.length = 0;
  });

  it("a merchant's server on a private address is refused at send time, before connecting (setting off)", async () => {
    for (const host of ['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]']) {
      const guarded = new SmtpTransport({
        host,
        port: server.port,
        user: 'u',
        password: 'p',
        outbound: STRICT_OUTBOUND,
      });
      const error = await failure(guarded.send(message()));
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/SMTP host refused/);
      await guarded.close();
    }
    expect(server.received).toEqual([]);
  });

  it("a merchant's server name is resolved once per send and connected to by that address", async () => {
    const resolved: string[] = [];
    const pinned = new SmtpTransport({
      host: 'mail.merchant.invalid',
      port: server.port,
      outbound: {
        allowPrivateHosts: true,
        resolve: async (name) => {
          resolved.push(name);
          return [{ address: '127.0.0.1', family: 4 }];
        },
      },
    });
    await pinned.send(message());
    await pinned.close();
    expect(resolved).toEqual(['mail.merchant.invalid']);
    expect(server.received).toHaveLength(1);
  });

  it('delivers a multipart message with subject, bodies, headers and a stable Message-ID', async () => {
    const sent = await transport.send(
      message({ messageId: '<notification-7@handoff.test>', subject: 'Ihr Download: Käse' }),
    );
    expect(sent).toEqual({ messageId: '<notification-7@handoff.test>', rejected: [] });
    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail.from).toBe('shop@handoff.test');
    expect(mail.to).toEqual(['buyer@example.test']);
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?Q\?Ihr_Download=3A_K=C3=A4se\?=$/m);
    expect(mail.raw).toMatch(/^Message-ID: <notification-7@handoff\.test>$/m);
    expect(mail.raw).toMatch(/^Reply-To: support@handoff\.test$/m);
    expect(mail.raw).toMatch(/^X-Handoff-Order: 42$/m);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.raw).toContain('Hello buyer, get your files: https://hub.test/p/CODE');
    expect(mail.raw).toContain('<b>buyer</b>');
  });

  it('generates a Message-ID when none is given', async () => {
    const sent = await transport.send(message());
    expect(sent.messageId).toMatch(/^<.+@.+>$/);
    expect(server.received[0]!.raw).toContain(`Message-ID: ${sent.messageId}`);
  });

  it.each([
    { stage: 'mail', code: 421 },
    { stage: 'rcpt', code: 450 },
    { stage: 'rcpt', code: 452 },
    { stage: 'data', code: 451 },
  ] as const)('marks a $code at $stage as transient', async ({ stage, code }) => {
    server.refuse({ stage, code, message: 'try again later' });
    const error = await failure(transport.send(message()));
    expect(error).toMatchObject({ retryable: true, permanent: false, responseCode: code });
    expect(server.received).toHaveLength(0);
  });

  it.each([
    { stage: 'mail', code: 553 },
    { stage: 'rcpt', code: 550 },
    { stage: 'data', code: 554 },
  ] as const)('marks a $code at $stage as permanent', async ({ stage, code }) => {
    server.refuse({ stage, code, message: 'no such user' });
    const error = await failure(transport.send(message()));
    expect(error).toMatchObject({ retryable: false, permanent: true, responseCode: code });
    expect(error.message).toContain('no such user');
  });

  it('reports recipients refused while others were accepted', async () => {
    server.refuse({ stage: 'rcpt', code: 550, recipient: 'gone@example.test' });
    const sent = await transport.send(message({ to: ['buyer@example.test', 'gone@example.test'] }));
    expect(sent.rejected).toEqual(['gone@example.test']);
    expect(server.received[0]!.to).toEqual(['buyer@example.test']);
  });

  it('reuses pooled connections for several messages', async () => {
    const pooled = new SmtpTransport({ host: '127.0.0.1', port: server.port, pool: true });
    try {
      await Promise.all([1, 2, 3].map((n) => pooled.send(message({ subject: `n${n}` }))));
      expect(server.received.map((m) => /^Subject: (.+)$/m.exec(m.raw)![1]).sort()).toEqual(['n1', 'n2', 'n3']);
    } finally {
      await pooled.close();
    }
  });

  it('marks a refused connection as transient', async () => {
    const down = new SmtpTransport({ host: '127.0.0.1', port: await closedPort(), connectionTimeoutMs: 2000 });
    const error = await failure(down.send(message()));
    expect(error.retryable).toBe(true);
    expect(error.responseCode).toBeNull();
    expect(error.code).toMatch(/^E/);
  });
});

describe('SmtpTransport with authentication', () => {
  let server: SmtpTestServer;

  beforeAll(async () => {
    server = await startSmtpTestServer({ user: 'mailer', password: 's3cret' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('authenticates and delivers', async () => {
    const transport = new SmtpTransport({ host: '127.0.0.1', port: server.port, user: 'mailer', password: 's3cret' });
    await transport.send(message());
    expect(server.received).toHaveLength(1);
  });

  it('treats rejected credentials as permanent', async () => {
    const transport = new SmtpTransport({ host: '127.0.0.1', port: server.port, user: 'mailer', password: 'wrong' });
    const error = await failure(transport.send(message()));
    expect(error).toMatchObject({ permanent: true, responseCode: 535, code: 'EAUTH' });
  });
});
