import { describe, expect, it } from 'vitest';
import { ChannelError, type ConnectionCredentials } from '../channel-connector.js';
import { TokenSession, type TokenSessionOptions } from './token-session.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function session(credentials: ConnectionCredentials, overrides: Partial<TokenSessionOptions> = {}) {
  const requests: ConnectionCredentials[] = [];
  const stored: ConnectionCredentials[] = [];
  const tokens = new TokenSession({
    credentials,
    onCredentialsChanged: async (next) => void stored.push(next),
    now: () => NOW,
    expiryMarginMs: 60_000,
    refreshOnStatuses: [401],
    requestToken: async (current) => {
      requests.push(current);
      return { accessToken: `fresh-${requests.length}`, expiresInSeconds: 3600 };
    },
    ...overrides,
  });
  return { tokens, requests, stored };
}

describe('TokenSession', () => {
  it('reuses a stored token that outlives the margin', async () => {
    const { tokens, requests } = session({ accessToken: 'old', accessTokenExpiresAt: '2026-03-01T12:01:01.000Z' });
    expect(await tokens.authorized(async (t) => t)).toBe('old');
    expect(requests).toHaveLength(0);
  });

  it('refreshes a token inside the margin and hands over the full credential set', async () => {
    const { tokens, stored } = session({
      clientId: 'id',
      accessToken: 'old',
      accessTokenExpiresAt: '2026-03-01T12:01:00.000Z',
    });
    expect(await tokens.authorized(async (t) => t)).toBe('fresh-1');
    expect(stored).toEqual([
      { clientId: 'id', accessToken: 'fresh-1', accessTokenExpiresAt: '2026-03-01T13:00:00.000Z' },
    ]);
  });

  it('refreshes once on a configured status and resends', async () => {
    const { tokens, requests } = session({ accessToken: 'old', accessTokenExpiresAt: '2027-01-01T00:00:00.000Z' });
    const seen: string[] = [];
    const result = await tokens.authorized(async (t) => {
      seen.push(t);
      if (t === 'old') throw new ChannelError('expired', 401, false);
      return 'ok';
    });
    expect([result, seen, requests.length]).toEqual(['ok', ['old', 'fresh-1'], 1]);
  });

  it('requests side by side share one refresh, of an expired token or of a rejected one', async () => {
    const expired = session({ accessToken: 'old', accessTokenExpiresAt: '2026-03-01T11:00:00.000Z' });
    const got = await Promise.all(Array.from({ length: 5 }, () => expired.tokens.authorized(async (t) => t)));
    expect(got).toEqual(Array(5).fill('fresh-1'));
    expect(expired.requests).toHaveLength(1);
    expect(expired.stored).toHaveLength(1);

    const rejected = session({ accessToken: 'old', accessTokenExpiresAt: '2027-01-01T00:00:00.000Z' });
    const sent = await Promise.all(
      Array.from({ length: 5 }, () =>
        rejected.tokens.authorized(async (t) => {
          await new Promise((r) => setTimeout(r, 5));
          if (t === 'old') throw new ChannelError('expired', 401, false);
          return t;
        }),
      ),
    );
    expect(sent).toEqual(Array(5).fill('fresh-1'));
    expect(rejected.requests).toHaveLength(1);
  });

  it('passes other failures through without refreshing', async () => {
    const { tokens, requests } = session({ accessToken: 'old', accessTokenExpiresAt: '2027-01-01T00:00:00.000Z' });
    const forbidden = new ChannelError('forbidden', 403, false);
    await expect(tokens.authorized(() => Promise.reject(forbidden))).rejects.toBe(forbidden);
    expect(requests).toHaveLength(0);
  });

  it('keeps a rotated refresh token', async () => {
    const { tokens, stored } = session(
      { refreshToken: 'r1' },
      { requestToken: async () => ({ accessToken: 'a', expiresInSeconds: 60, refreshToken: 'r2' }) },
    );
    await tokens.authorized(async (t) => t);
    expect(stored[0]?.refreshToken).toBe('r2');
    expect(tokens.credentials.refreshToken).toBe('r2');
  });
});
