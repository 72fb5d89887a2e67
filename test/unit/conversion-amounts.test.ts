import { describe, expect, it } from "vitest";
import { amountProblem, conversionAmounts } from "../../gateway/src/domain/conversions/amounts";

describe("conversion amounts (known answers)", () => {
  it.each([
    // rate from:to, fee bps, source points -> fee, destination points
    [3, 1, 0, 3_000, 0, 1_000],
    [3, 1, 0, 1_000, 0, 333],
    [3, 1, 100, 3_000, 30, 990],
    [1_000, 600, 0, 5_000, 0, 3_000],
    [1_000, 600, 150, 5_000, 75, 2_955],
    [1_000, 600, 150, 1_001, 16, 591],
    [200, 1, 0, 10_000, 0, 50],
    [200, 1, 0, 10_100, 0, 50],
    [200, 1, 250, 10_000, 250, 48],
    [1, 1, 9_999, 10_000, 9_999, 1],
    [1, 3, 0, 1_000_000_000, 0, 3_000_000_000],
  ])("%i:%i with %i bps converts %i into fee %i and %i points", (from, to, feeBps, fromPoints, fee, out) => {
    expect(conversionAmounts(fromPoints, { fromPoints: from, toPoints: to, feeBps })).toEqual({
      feePoints: fee,
      toPoints: out,
    });
  });

  it("names the allowed values when an amount is refused", () => {
    const rate = { minPoints: 1_000, increment: 1_000 };
    expect(amountProblem(999, rate, null)).toBe("must be at least 1000 (then in steps of 1000)");
    expect(amountProblem(1_500, rate, null)).toBe("must be a multiple of 1000: 1000 or 2000");
    expect(amountProblem(3_000, rate, 2_500)).toBe("exceeds the daily maximum: at most 2000 more today");
    expect(amountProblem(1_000, rate, 500)).toBe(
      "exceeds the daily maximum: nothing more can be converted to this program today",
    );
    expect(amountProblem(2_000, rate, 2_500)).toBeUndefined();
  });
});
