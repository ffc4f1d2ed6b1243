import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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
});
