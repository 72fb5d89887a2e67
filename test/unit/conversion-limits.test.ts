import { describe, expect, it } from "vitest";
import { amountLimits } from "../../gateway/src/domain/conversions/destinations";

describe("amountLimits (what the member page's amount field allows)", () => {
  const rate = { minPoints: 1_000, increment: 1_000, maxPointsPerDay: null };

  it("goes from the minimum to the balance, in steps, when there is no daily maximum", () => {
    expect(amountLimits(rate, 4_510, 0)).toEqual({ min: 1_000, step: 1_000, max: 4_000, bound: "balance" });
  });

  it("stops at what is left of the daily maximum when that is lower than the balance", () => {
    expect(amountLimits({ ...rate, maxPointsPerDay: 5_000 }, 9_000, 3_000)).toEqual({
      min: 1_000,
      step: 1_000,
      max: 2_000,
      bound: "today",
    });
    expect(amountLimits({ ...rate, maxPointsPerDay: 5_000 }, 9_000, 5_000).max).toBe(0);
    expect(amountLimits({ ...rate, maxPointsPerDay: 5_000 }, 1_500, 0)).toMatchObject({ max: 1_000, bound: "balance" });
  });

  it("raises a minimum that is not a multiple of the increment to the first amount a quote accepts", () => {
    expect(amountLimits({ minPoints: 1_500, increment: 1_000, maxPointsPerDay: null }, 10_000, 0)).toMatchObject({
      min: 2_000,
      step: 1_000,
    });
  });

  it("says nothing can be converted (max below min) with too small a balance", () => {
    const limits = amountLimits(rate, 999, 0);
    expect(limits.max).toBeLessThan(limits.min);
  });
});
