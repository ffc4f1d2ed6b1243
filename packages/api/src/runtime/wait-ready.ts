import { StartupError } from './startup-error.js';

/** Resolves when every URL answers 2xx; gives up after `timeoutMs` or when `alive()` turns false. */
export async function waitUntilReady(urls: string[], alive: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls);
  while (pending.size) {
    if (!alive()) throw new StartupError('A process stopped before Handoff was ready (see its output above).');
    if (Date.now() > deadline)
      throw new StartupError(`No answer within ${timeoutMs / 1000} s from ${[...pending].join(', ')}`);
    for (const url of pending) {
      const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) pending.delete(url);
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 100));
  }
}
