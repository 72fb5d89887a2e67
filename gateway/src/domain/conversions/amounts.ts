/** A conversion rate's terms: `from_points` of the source buy `to_points` of the destination. */
export type RateTerms = { fromPoints: number; toPoints: number; feeBps: number };

/**
 * What `fromPoints` buy, in integer arithmetic (BigInt, so no product can lose precision):
 * the fee is `fee_bps` basis points of the source points, rounded up (the coalition never under-charges a
 * fee by rounding), and the destination gets floor((from - fee) * to / from) points (never a fraction).
 */
export function conversionAmounts(fromPoints: number, rate: RateTerms): { feePoints: number; toPoints: number } {
  const feePoints = Number((BigInt(fromPoints) * BigInt(rate.feeBps) + 9_999n) / 10_000n);
  const toPoints = Number((BigInt(fromPoints - feePoints) * BigInt(rate.toPoints)) / BigInt(rate.fromPoints));
  return { feePoints, toPoints };
}

/** Why `fromPoints` is not an allowed amount, naming the allowed values; undefined when it is. */
export function amountProblem(
  fromPoints: number,
  rate: { minPoints: number; increment: number },
  leftToday: number | null,
): string | undefined {
  const { minPoints, increment } = rate;
  if (fromPoints < minPoints) return `must be at least ${minPoints} (then in steps of ${increment})`;
  if (fromPoints % increment !== 0) {
    const below = Math.max(minPoints, fromPoints - (fromPoints % increment));
    return `must be a multiple of ${increment}: ${below} or ${below + increment}`;
  }
  if (leftToday !== null && fromPoints > leftToday)
    return leftToday < minPoints
      ? "exceeds the daily maximum: nothing more can be converted to this program today"
      : `exceeds the daily maximum: at most ${leftToday - (leftToday % increment)} more today`;
  return undefined;
}
