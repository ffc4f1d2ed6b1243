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

/**
 * Runs before the server answers a connection, MAIL FROM, RCPT TO or the end of DATA; the answer
 * waits for it. A rejection refuses (421) and nothing is accepted: a message counts as received
 * only once the server says so.
 */
export type SmtpGate = (stage: 'connect' | SmtpRefusal['stage'], session: { id: string }) => Promise<void> | void;

export interface SmtpTestServer {
  port: number;
  received: ReceivedMail[];
  refuse(refusal: SmtpRefusal): void;
  /** Puts a gate in front of the server's answers (null: none). */
  gate(gate: SmtpGate | null): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 with a free port, plain text (no STARTTLS), optional
 * AUTH PLAIN/LOGIN with one user, recording every message it accepts and refusing on request.
 */
export async function startSmtpTestServer(options: { user?: string; password?: string } = {}): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  const refusals: SmtpRefusal[] = [];
  let gate: SmtpGate | null = null;
  /** Calls `answer` once the gate lets this stage through, or answers 421 if it refuses. */
  const through = (
    stage: Parameters<SmtpGate>[0],
    session: { id: string },
    callback: (error?: Error | null) => void,
    answer: () => void,
  ) => {
    if (!gate) return answer();
    Promise.resolve()
      .then(() => gate?.(stage, session))
      .then(answer, () => {
        const error = new Error('gate closed') as Error & { responseCode: number };
        error.responseCode = 421;
        callback(error);
      });
  };
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
    onConnect(session, callback) {
      through('connect', session, callback, () => callback());
    },
    onMailFrom(_address, session, callback) {
      through('mail', session, callback, () => callback(takeRefusal('mail')));
    },
    onRcptTo(address, session, callback) {
      through('rcpt', session, callback, () => callback(takeRefusal('rcpt', address.address)));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        through('data', session, callback, () => {
          const refusal = takeRefusal('data');
          if (refusal) return callback(refusal);
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString(),
          });
          callback(null);
        }),
      );
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client that vanishes (a killed process) resets its connection: nothing to report.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    refuse: (refusal) => void refusals.push(refusal),
    gate: (next) => void (gate = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
