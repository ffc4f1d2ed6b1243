import { afterEach, describe, expect, it } from 'vitest';
import { RenderFailedError, RenderPool, type RenderPoolOptions } from './render-pool.js';
import { nestedLoops, singleNodeSlow, variant, limitHit } from './testing/slow-templates.js';

const data = { order: { number: '#1001' }, buyer: { name: '<b>Ada</b>' } };

describe('RenderPool', () => {
  let pool: RenderPool | null = null;
  afterEach(() => pool?.close());

  const start = (options: Partial<RenderPoolOptions> = {}) =>
    (pool = new RenderPool({ threads: 2, timeoutMs: 300, memoryMb: 64, maxOutputChars: 100_000, ...options }));
  const render = (p: RenderPool, lane: string, html: string) =>
    p.run(lane, { op: 'render', variant: variant(html), data });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof RenderFailedError ? error.failure : { kind: String(error) }),
    );

  it('renders on a thread, the HTML body escaped', async () => {
    const p = start();
    expect(await render(p, 'a', '<p>{{ buyer.name }}</p>')).toEqual({
      subject: 'Order #1001',
      html: '<p>&lt;b&gt;Ada&lt;/b&gt;</p>',
      text: 'Hi',
    });
  });

  it('terminates a render stuck inside one filter at the time limit; the event loop and another lane go on', async () => {
    const p = start({ timeoutMs: 500 });
    await p.warmUp();
    const finished: string[] = [];
    let maxLag = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      maxLag = Math.max(maxLag, Date.now() - last - 10);
      last = Date.now();
    }, 10);
    const slow = failure(render(p, 'a', singleNodeSlow)).then((f) => (finished.push('a'), f));
    const other = render(p, 'b', '<p>{{ order.number }}</p>').then((r) => (finished.push('b'), r));
    const [slowFailure, fast] = await Promise.all([slow, other]);
    clearInterval(ticker);
    expect(fast).toMatchObject({ html: '<p>#1001</p>' });
    expect(finished).toEqual(['b', 'a']);
    expect(slowFailure).toMatchObject({ part: null, message: expect.stringMatching(limitHit(500)) });
    // The main thread never waited on the render (a generous bound: the render limit itself).
    expect(maxLag).toBeLessThan(500);
    // A fresh thread took the terminated one's place.
    expect(await render(p, 'a', 'again')).toMatchObject({ html: 'again' });
  });

  it("LiquidJS's own render limit stops the million-turn loop with a clear error", async () => {
    const p = start({ timeoutMs: 2000 });
    expect(await failure(render(p, 'a', nestedLoops))).toMatchObject({
      kind: expect.stringMatching(/^(limit|timeout)$/),
    });
  });

  it('lanes take turns: a merchant with one render waits for at most one of another merchant’s many', async () => {
    const p = start({ threads: 1 });
    await p.warmUp();
    const finished: string[] = [];
    const track = (lane: string, promise: Promise<unknown>) => failure(promise).then(() => finished.push(lane));
    const runs = [1, 2, 3].map(() => track('a', render(p, 'a', singleNodeSlow)));
    runs.push(track('b', render(p, 'b', 'fast')));
    await Promise.all(runs);
    expect(finished).toEqual(['a', 'b', 'a', 'a']);
  });

  it('caps the length of what a template writes', async () => {
    const p = start({ maxOutputChars: 1000 });
    expect(await failure(render(p, 'a', '{% for i in (1..200) %}0123456789{% endfor %}'))).toEqual({
      kind: 'limit',
      part: 'html',
      message: 'the rendered message is longer than 1000 characters',
    });
  });

  it('a thread that runs out of heap fails its render only', async () => {
    const p = start({ memoryMb: 8, timeoutMs: 20_000 });
    const hog = { ...data, items: Array.from({ length: 150_000 }, (_, i) => ({ title: `item ${i}`.padEnd(40, '.') })) };
    const out = p.run('a', {
      op: 'render',
      variant: variant('{{ items | map: "title" | join: "," | size }}'),
      data: hog,
    });
    expect(await failure(out)).toMatchObject({ kind: 'memory' });
    expect(await render(p, 'b', 'still here')).toMatchObject({ html: 'still here' });
  });
});
