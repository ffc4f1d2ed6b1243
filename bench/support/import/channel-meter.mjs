// The connectors' own test seams (`fetch`, `sleep` in ChannelConnectorOptions), wrapped to measure
// where a sync's wall time goes: waiting for the channel (request sent → body fully read) versus
// everything else. Sleeps are recorded, not slept: see PACING below.

/**
 * PACING: with settings.pageSize 250 the fake reports a requested query cost (2 + 250 × 13 points)
 * above its nominal 2,000-point bucket, so the Shopify connector would pace ~12.5 s before every next
 * page. That wait is the channel's rate limit, not the hub's import speed, and the fake's bucket is
 * off; the meter records the owed time (`sleptMs`) and returns at once.
 */
export function createChannelMeter() {
  const figures = { requests: 0, fetchMs: 0, sleeps: 0, sleptMs: 0 };

  /** @type {typeof fetch} */
  async function meteredFetch(input, init) {
    const started = performance.now();
    const response = await fetch(input, init);
    const text = await response.text();
    figures.requests += 1;
    figures.fetchMs += performance.now() - started;
    // The connector reads the body again (text()): hand it the bytes already read.
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /** @param {number} ms */
  async function recordSleep(ms) {
    figures.sleeps += 1;
    figures.sleptMs += ms;
  }

  return {
    fetch: meteredFetch,
    sleep: recordSleep,
    /** The figures so far, and zeroes them. */
    take() {
      const taken = { ...figures };
      Object.assign(figures, { requests: 0, fetchMs: 0, sleeps: 0, sleptMs: 0 });
      return taken;
    },
  };
}
