import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw RFC 5322 message as received after DATA. */
  raw: string;
}

/** A reply the server gives instead of accepting: at MAIL FROM, RCPT TO or end of DATA. */
export interface SmtpRefusal {
  stage: 'mail' | 'rcpt' | 'data';
  code: number;
  message?: string;
  /** Only for this recipient (stage 'rcpt'). */
  recipient?: string;
  times?: number;
}

export interface SmtpTestServer {
  port: number;
  received: ReceivedMail[];
  refuse(refusal: SmtpRefusal): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 with a free port, plain text (no STARTTLS), optional
 * AUTH PLAIN/LOGIN with one user, recording every message it accepts and refusing on request.
 */
export async function startSmtpTestServer(options: { user?: string; password?: string } = {}): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  const refusals: SmtpRefusal[] = [];
  const takeRefusal = (stage: SmtpRefusal['stage'], recipient?: string): Error | null => {
    const hit = refusals.find((r) => r.stage === stage && (!r.recipient || r.recipient === recipient));
    if (!hit) return null;
    hit.times = (hit.times ?? 1) - 1;
    if (hit.times <= 0) refusals.splice(refusals.indexOf(hit), 1);
    const error = new Error(hit.message ?? `refused at ${stage}`) as Error & { responseCode: number };
    error.responseCode = hit.code;
    return error;
  };

  const config: SMTPServerOptions = {
    secure: false,
    disabledCommands: options.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.user,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password)
        return callback(null, { user: auth.username });
      const error = new Error('Invalid username or password') as Error & { responseCode: number };
      error.responseCode = 535;
      callback(error);
    },
    onMailFrom(_address, _session, callback) {
      callback(takeRefusal('mail'));
    },
    onRcptTo(address, _session, callback) {
      callback(takeRefusal('rcpt', address.address));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = takeRefusal('data');
        if (refusal) return callback(refusal);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        callback(null);
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    refuse: (refusal) => void refusals.push(refusal),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
