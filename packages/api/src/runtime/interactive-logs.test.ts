import { describe, expect, it } from 'vitest';
import { interactiveLogLevel } from './interactive-logs.js';

describe('log level of pnpm start', () => {
  it('keeps info request logs out of an interactive development terminal', () => {
    expect(interactiveLogLevel({}, true)).toBe('warn');
    expect(interactiveLogLevel({ NODE_ENV: 'development' }, true)).toBe('warn');
  });

  it('leaves production, pipes and an explicit LOG_LEVEL alone', () => {
    expect(interactiveLogLevel({ NODE_ENV: 'production' }, true)).toBeUndefined();
    expect(interactiveLogLevel({}, false)).toBeUndefined();
    expect(interactiveLogLevel({ LOG_LEVEL: 'debug' }, true)).toBe('debug');
  });
});
