import { Writable } from 'node:stream';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serializeError } from './log-error.js';
import { createLogger } from './logger.js';

/** The services' logger, writing into a string. */
function memoryLogger() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const log = createLogger('info', 'test', stream);
  return { log, text: () => text };
}

describe('logged errors', () => {
  it('leave out the pg client (connection parameters, password) that pg-pool attaches', () => {
    // What pg-pool emits when the server ends an idle connection (the embedded database stopping).
    const error = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
      severity: 'FATAL',
      client: new pg.Client({ connectionString: 'postgres://handoff:s3cret-pass@127.0.0.1:5432/handoff' }),
    });
    const { log, text } = memoryLogger();
    log.error({ err: error }, 'job queue error');

    const line = JSON.parse(text()) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ message: error.message, severity: 'FATAL' });
    expect(line.err.stack).toContain('terminating connection');
    expect(text()).not.toMatch(/s3cret-pass|connectionParameters|"client"|_queryable|"host"/);
  });

  it('keep plain fields and nested errors, cleaned the same way', () => {
    const inner = Object.assign(new Error('inner'), { detail: 'why', socket: new Writable() });
    const outer = Object.assign(new Error('outer'), { status: 503, reason: inner, password: 'p' });
    const serialized = serializeError(outer) as Record<string, unknown>;
    expect(serialized).toMatchObject({ message: 'outer', status: 503, reason: { message: 'inner', detail: 'why' } });
    expect(JSON.stringify(serialized)).not.toMatch(/"socket"|"password"/);
  });
});
