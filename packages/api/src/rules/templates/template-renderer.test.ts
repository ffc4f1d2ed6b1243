import { afterEach, describe, expect, it } from 'vitest';
import { HandoffError } from '@handoff/shared';
import { TemplateRenderer } from './template-renderer.js';
import { nestedLoops, singleNodeSlow, variant, renderLimitHit } from './testing/slow-templates.js';

const order = (lines: number) => ({
  order: { number: '#1001' },
  items: Array.from({ length: lines }, (_, i) => ({ title: `Item ${i}` })),
  downloads: [],
});

describe('TemplateRenderer', () => {
  let renderer: TemplateRenderer | null = null;
  afterEach(() => renderer?.close());
  const start = (threads = 2) =>
    (renderer = new TemplateRenderer({ threads, timeoutMs: 1000, memoryMb: 64, maxOutputChars: 100_000 }));
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof HandoffError ? { code: error.code, message: error.message } : error),
    );

  it('refuses on save a template a large order cannot render in time, naming the variant', async () => {
    const r = start();
    expect(await refusal(r.check('m', variant(nestedLoops), 'variants.0'))).toEqual({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/^variants\.0: too expensive to render for a large order \(250 lines/),
    });
    const perLine =
      '{% for i in items %}{% for d in downloads %}{{ i.title }}{{ d.file_name }}{% endfor %}{% endfor %}';
    expect(await refusal(r.check('m', variant(perLine), 'variants.0'))).toMatchObject({
      message: expect.stringContaining('too expensive to render'),
    });
    await expect(r.check('m', variant('{% for i in items %}{{ i.title }}{% endfor %}'), 'variants.0')).resolves.toBe(
      undefined,
    );
  });

  it('a template that timed out is refused at once for orders as large; a smaller order still gets its try', async () => {
    const r = start();
    const slow = variant(singleNodeSlow);
    const first = await refusal(r.render('a', slow, 'en', order(5)));
    expect(first).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(renderLimitHit(1000)) });
    let otherDone = false;
    const other = r.render('b', variant('fast'), 'en', order(1)).then(() => (otherDone = true));
    expect(await refusal(r.render('a', slow, 'en', order(5)))).toEqual(first);
    expect(await refusal(r.render('a', slow, 'en', order(9)))).toEqual(first);
    expect(otherDone).toBe(false); // refused without waiting for a thread, let alone the limit
    await other;

    await r.warmUp();
    const finished: string[] = [];
    const track = (name: string, promise: Promise<unknown>) => refusal(promise).then(() => finished.push(name));
    await Promise.all([
      track('a-smaller', r.render('a', slow, 'en', order(2))),
      track('b', r.render('b', variant('fast'), 'en', order(1))),
    ]);
    expect(finished).toEqual(['b', 'a-smaller']);
  });
});
