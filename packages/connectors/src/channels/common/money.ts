/** ISO-4217 currencies whose minor unit is not 2 digits (the rest use cents). */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/**
 * Converts a decimal amount as channels send it ("12.50", 12.5, "-3.000") into integer minor units of
 * `currency`, without going through binary floating point. Extra digits round half away from zero
 * (a WooCommerce shop configured with 3 decimals in EUR sends "9.995").
 */
export function toMinorUnits(value: string | number | null | undefined, currency: string): number {
  if (value === null || value === undefined || value === '') return 0;
  const exponent = currencyExponent(currency);
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const match = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new Error(`Not a decimal amount: ${JSON.stringify(value)}`);
  }
  const negative = match[1] === '-';
  const whole = match[2] || '0';
  const fraction = match[3] ?? '';
  const kept = fraction.padEnd(exponent, '0').slice(0, exponent);
  let minor = Number(whole) * 10 ** exponent + (kept === '' ? 0 : Number(kept));
  const next = fraction.charAt(exponent);
  if (next !== '' && Number(next) >= 5) minor += 1;
  return negative && minor !== 0 ? -minor : minor;
}

function numberToPlain(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite amount: ${value}`);
  // String() gives the shortest decimal that round-trips (1.005 → "1.005", what the sender meant);
  // toFixed only for values String() would write in exponent notation.
  const plain = String(value);
  return /e/i.test(plain) ? value.toFixed(10) : plain;
}
