import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { notifySettings } from './rules/notifications/notify-settings.js';

describe('configuration', () => {
  it('has working defaults for the embedded start', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(4000);
    expect(config.NODE_ENV).toBe('development');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ HANDOFF_SECRET: 'short' }, 'HANDOFF_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'production' }, 'HANDOFF_SECRET'],
    [{ NODE_ENV: 'production', HANDOFF_SECRET: 'x'.repeat(40) }, 'DATABASE_URL'],
  ])('a bad value (%j) stops start-up naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}:`));
  });

  it('accepts production with a secret', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HANDOFF_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://db/handoff',
    });
    expect(config.NODE_ENV).toBe('production');
  });

  describe('MAIL_FROM default', () => {
    const mailFrom = (env: Record<string, string>) => notifySettings(loadConfig(env)).mailFrom;

    it.each([
      [{}, 'no-reply@localhost'],
      [{ PUBLIC_URL: 'https://shop.example.com' }, 'no-reply@shop.example.com'],
      [{ PUBLIC_URL: 'http://127.0.0.1:4000' }, 'no-reply@localhost'],
      [{ PUBLIC_URL: 'http://[::1]:4000' }, 'no-reply@localhost'],
      [{ PUBLIC_URL: 'http://devbox:4000' }, 'no-reply@localhost'],
      [{ PUBLIC_URL: 'http://10.0.0.5', MAIL_FROM: 'shop@example.com' }, 'shop@example.com'],
    ])('%j sends as %s', (env, expected) => {
      expect(mailFrom(env)).toBe(expected);
    });

    it('production with an IP address as PUBLIC_URL and no MAIL_FROM refuses to start, naming MAIL_FROM', () => {
      const env = {
        NODE_ENV: 'production',
        HANDOFF_SECRET: 'x'.repeat(40),
        DATABASE_URL: 'postgres://db.example/handoff',
        PUBLIC_URL: 'http://203.0.113.7',
      };
      expect(() => loadConfig(env)).toThrow(/MAIL_FROM:/);
      expect(mailFrom({ ...env, MAIL_FROM: 'shop@example.com' })).toBe('shop@example.com');
      expect(mailFrom({ ...env, PUBLIC_URL: 'https://hub.example.com' })).toBe('no-reply@hub.example.com');
    });
  });
});
