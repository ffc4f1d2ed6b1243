/**
 * Templates that hold a render thread. `singleNodeSlow` spends seconds inside one filter call
 * (natural sort of a 2^20-character string split into characters): LiquidJS checks its render
 * limit only between nodes, so only terminating the thread stops it in time.
 */
/**
 * What `singleNodeSlow` ends with: whichever limit it hits first, time or the thread's heap, which
 * depends on how fast the machine is. Either way the render fails and the thread is replaced.
 */
export const limitHit = (ms: number) =>
  new RegExp(`rendering (took longer than ${ms} ms|needed more memory than allowed)$`);
export const renderLimitHit = (ms: number) =>
  new RegExp(
    `^the template \\(en\\) could not be rendered: rendering (took longer than ${ms} ms|needed more memory than allowed)$`,
  );

export const singleNodeSlow =
  '{% assign s = "ab" %}' +
  '{% assign s = s | append: s %}'.repeat(19) +
  '{% assign p = s | split: "" | sort_natural %}{{ p | size }}';

/** The attack run's template: a million loop turns. */
export const nestedLoops = '{% for a in (1..1000) %}{% for b in (1..1000) %}{{ a }}{% endfor %}{% endfor %}';

export const variant = (html: string) => ({ subject: 'Order {{ order.number }}', html, text: 'Hi' });
