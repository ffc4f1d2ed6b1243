import { describe, expect, it } from 'vitest';
import { RenderFailedError } from './render-pool.js';
import { SlowTemplates } from './slow-templates.js';

const timeout = new RenderFailedError({ kind: 'timeout', part: null, message: 'rendering took longer than 1000 ms' });

describe('SlowTemplates', () => {
  it('refuses a template for orders at least as large as one it timed out on, for ten minutes', () => {
    let now = 0;
    const slow = new SlowTemplates(() => now);
    expect(() => slow.check('m:t', 10)).not.toThrow();
    slow.record('m:t', 10, timeout);
    expect(() => slow.check('m:t', 10)).toThrow(timeout);
    expect(() => slow.check('m:t', 50)).toThrow(timeout);
    expect(() => slow.check('m:t', 9)).not.toThrow();
    expect(() => slow.check('m:other', 50)).not.toThrow();
    slow.record('m:t', 4, timeout); // a smaller order timed out too: the bar moves down
    expect(() => slow.check('m:t', 4)).toThrow(timeout);
    now += 10 * 60_000;
    expect(() => slow.check('m:t', 50)).not.toThrow();
  });
});
