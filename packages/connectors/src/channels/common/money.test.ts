import { describe, expect, it } from 'vitest';
import { toMinorUnits } from './money.js';

describe('toMinorUnits', () => {
  it.each([
    ['12.50', 'EUR', 1250],
    ['0.1', 'USD', 10],
    ['19.99', 'usd', 1999],
    ['1500', 'JPY', 1500],
    ['1500.00', 'JPY', 1500],
    ['12.345', 'KWD', 12345],
    ['12.3', 'KWD', 12300],
    ['-3.40', 'EUR', -340],
    ['9.995', 'EUR', 1000],
    ['.5', 'EUR', 50],
    ['0.00', 'EUR', 0],
  ])('%s %s → %d', (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toBe(expected);
  });

  it('converts numbers without float drift', () => {
    expect(toMinorUnits(0.1 + 0.2, 'EUR')).toBe(30);
    expect(toMinorUnits(1.005, 'EUR')).toBe(101); // read as the decimal the sender wrote, not 1.00499… in binary
    expect(toMinorUnits(1e-7, 'EUR')).toBe(0);
    expect(toMinorUnits(19.99, 'EUR')).toBe(1999);
  });

  it('treats empty and null as zero and rejects garbage', () => {
    expect(toMinorUnits('', 'EUR')).toBe(0);
    expect(toMinorUnits(null, 'EUR')).toBe(0);
    expect(() => toMinorUnits('12,50', 'EUR')).toThrow(/Not a decimal/);
    expect(() => toMinorUnits('abc', 'EUR')).toThrow(/Not a decimal/);
  });
});
