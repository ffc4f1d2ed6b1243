import { currencyExponent } from '../common/money.js';
import type { EtsyMoney } from './etsy-types.js';

/** `{amount: 1999, divisor: 100, currency_code: 'USD'}` → 1999; works for any divisor and currency exponent. */
export function etsyMoneyToMinor(money: EtsyMoney | null | undefined): number {
  if (!money) return 0;
  const scale = 10 ** currencyExponent(money.currency_code);
  const divisor = money.divisor || 1;
  // Integer arithmetic when the divisor is the currency's own (the usual case), rounding otherwise.
  return divisor === scale ? money.amount : Math.round((money.amount * scale) / divisor);
}
