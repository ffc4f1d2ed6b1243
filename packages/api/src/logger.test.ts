import { describe, expect, it } from 'vitest';
import { serializeError } from './log-error.js';

/** The shape MikroORM gives a failed statement: the SQL with its values, then pg's fields. */
const uniqueViolation = () =>
  Object.assign(
    new Error(
      `insert into "order" ("buyer_email", "buyer_name") values ('ana@example.com', 'Ana - Private') - duplicate key value violates unique constraint "order_email"`,
    ),
    {
      name: 'UniqueConstraintViolationException',
      sqlState: '23505',
      code: '23505',
      severity: 'ERROR',
      routine: '_bt_check_unique',
      constraint: 'order_email',
      detail: 'Key (buyer_email)=(ana@example.com) already exists.',
    },
  );

describe('error serializer', () => {
  it("drops a failed statement's values and the row in `detail`, keeping what diagnoses it", () => {
    const out = JSON.stringify(serializeError(uniqueViolation()));
    expect(out).not.toContain('ana@example.com');
    expect(out).not.toContain('Private');
    expect(out).toContain('duplicate key value violates unique constraint');
    expect(out).toContain('order_email');
    expect(out).toContain('23505');
  });

  it('also when the database error is the cause of another error', () => {
    const out = JSON.stringify(serializeError(new Error('import failed', { cause: uniqueViolation() })));
    expect(out).not.toContain('ana@example.com');
    expect(out).toContain('import failed');
  });

  it('leaves other errors as pino writes them', () => {
    const out = serializeError(new Error('select this - it is not SQL from a driver')) as { message: string };
    expect(out.message).toBe('select this - it is not SQL from a driver');
  });
});
