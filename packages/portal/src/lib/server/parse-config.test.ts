import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_API_URL, parsePortalConfig } from './parse-config.js';

describe('parsePortalConfig', () => {
  it('defaults to the local API without a token', () => {
    expect(parsePortalConfig({})).toEqual({ apiUrl: DEFAULT_API_URL, portalToken: undefined });
    expect(parsePortalConfig({ HANDOFF_API_URL: '  ', HANDOFF_PORTAL_TOKEN: '' })).toEqual({
      apiUrl: 'http://127.0.0.1:4000/graphql',
      portalToken: undefined,
    });
  });

  it('reads the API URL and the token', () => {
    expect(
      parsePortalConfig({ HANDOFF_API_URL: 'https://api.example.test/graphql', HANDOFF_PORTAL_TOKEN: ' hk_abc ' }),
    ).toEqual({
      apiUrl: 'https://api.example.test/graphql',
      portalToken: 'hk_abc',
    });
  });

  it('names the variable, not the value, when a value is bad', () => {
    for (const bad of ['not a url', 'ftp://example.test/graphql', 'https://user:pw@example.test/graphql']) {
      let error: unknown;
      try {
        parsePortalConfig({ HANDOFF_API_URL: bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('HANDOFF_API_URL');
      expect((error as Error).message).toMatch(/^HANDOFF_API_URL /);
      expect((error as Error).message).not.toContain(bad);
    }
    expect(() => parsePortalConfig({ HANDOFF_PORTAL_TOKEN: 'two words' })).toThrow(/^HANDOFF_PORTAL_TOKEN /);
  });
});
