import { toMinorUnits } from '../common/money.js';

/** eBay's `Amount`: a decimal string plus an ISO-4217 code. */
export interface EbayAmount {
  value: string;
  currency: string;
}

export function amountToMinor(amount: EbayAmount | undefined | null): number {
  return amount ? toMinorUnits(amount.value, amount.currency) : 0;
}
