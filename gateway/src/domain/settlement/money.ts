/** Digits after the decimal point of a currency's minor unit (USD 2, JPY 0, BHD 3), from Intl. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Divides with banker's rounding (half to even), for any signs, exactly. */
function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * The amount of a statement line in minor units: points × price (micros per point), rounded once, half to
 * even. Integer arithmetic throughout (BigInt), so no float ever touches money.
 */
export function lineAmountMinor(points: number, priceMicros: number, currency: string): number {
  const scale = 10n ** BigInt(minorDigits(currency));
  const amount = divideHalfEven(BigInt(points) * BigInt(priceMicros) * scale, 1_000_000n);
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError("statement line amount beyond 2^53");
  return Number(amount);
}

/** Minor units as a plain decimal string in major units: 123456 USD → "1234.56" (for CSV cells). */
export function formatMinor(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const negative = amountMinor < 0;
  const text = String(Math.abs(amountMinor)).padStart(digits + 1, "0");
  const major = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${major}` : major;
}

/** Micros per point as a decimal string: 12000 → "0.012000". */
export function formatMicros(micros: number): string {
  const text = String(micros).padStart(7, "0");
  return `${text.slice(0, -6)}.${text.slice(-6)}`;
}

/** Minor units as money in `locale` ("$1,234.56", "US$ 1.234,56"): the exact decimal string goes to Intl, never a float. */
export function formatMoney(locale: string, amountMinor: number, currency: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(
    formatMinor(amountMinor, currency) as unknown as number,
  );
}

/** A price per point (micros) as money in `locale`, to the micro and no further: 11000 USD → "$0.011". */
export function formatPrice(locale: string, micros: number, currency: string): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: Math.min(2, minorDigits(currency)),
    maximumFractionDigits: 6,
  }).format(formatMicros(micros) as unknown as number);
}
