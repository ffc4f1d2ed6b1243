// A local SMTP server (smtp-server, as the connectors' tests use) that records when it accepted each
// message, keyed by recipient, so latency is measured up to the moment SMTP said 250.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../paths.mjs';

const { SMTPServer } = createRequire(join(repoRoot, 'package.json'))('smtp-server');

/** @returns {Promise<{ port: number, accepted: Map<string, number>, count: () => number, reset: () => void, close: () => Promise<void> }>} */
export async function startSmtpSink() {
  /** recipient → performance.now() of acceptance */
  const accepted = new Map();
  let count = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        const at = performance.now();
        for (const r of session.envelope.rcptTo) accepted.set(r.address, at);
        count += 1;
        callback(null);
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.server.address().port,
    accepted,
    count: () => count,
    reset() {
      accepted.clear();
      count = 0;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
