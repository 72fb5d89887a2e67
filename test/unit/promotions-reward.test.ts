import { describe, expect, it } from "vitest";
import { cutTo, maxAwardPoints, rewardPoints } from "../../gateway/src/domain/promotions/reward";

describe("promotion rewards (known answers)", () => {
  it.each([
    // earn points, multiplier bps -> bonus points
    [1_500, 20_000, 1_500],
    [1_500, 15_000, 750],
    [333, 12_500, 83],
    [1, 19_999, 0],
    [7, 10_001, 0],
    [1_000_000_000, 1_000_000, 99_000_000_000],
  ])("%i points at multiplier %i bps add %i", (points, bps, bonus) => {
    expect(rewardPoints({ multiplier_bps: bps }, { points, amountMinor: null })).toBe(BigInt(bonus));
  });

  it("adds bonus_points as they are, whatever the earn", () => {
    expect(rewardPoints({ bonus_points: 250 }, { points: 1, amountMinor: null })).toBe(250n);
    expect(rewardPoints({ bonus_points: 250 }, { points: 0, amountMinor: null })).toBe(250n);
  });

  it.each([
    // amount minor, points, per amount minor -> bonus points
    [12_345, 3, 100, 370],
    [99, 1, 100, 0],
    [100, 1, 100, 1],
    [1_000_000_000_000, 1, 1_000_000_000_000, 1],
  ])("a purchase of %i at %i per %i adds %i", (amountMinor, points, per, bonus) => {
    const reward = { points_per_amount: { points, per_amount_minor: per } };
    expect(rewardPoints(reward, { points: 5, amountMinor })).toBe(BigInt(bonus));
  });

  it("adds nothing per amount to a points-only earn", () => {
    expect(
      rewardPoints({ points_per_amount: { points: 5, per_amount_minor: 1 } }, { points: 900, amountMinor: null }),
    ).toBe(0n);
  });

  it("computes products beyond 2^53 exactly, where floating point would round", () => {
    // 999,999,999,999 x 999,999 = 999,998,999,999,000,001; as a double it comes out ...000,000.
    const reward = { points_per_amount: { points: 999_999, per_amount_minor: 1 } };
    expect(rewardPoints(reward, { points: 1, amountMinor: 999_999_999_999 }).toString()).toBe("999998999999000001");
    expect(999_999_999_999 * 999_999).not.toBe(999_998_999_999_000_001n);
  });

  it("cuts to the smallest limit, ignoring absent ones, and never below zero", () => {
    expect(cutTo(500n, null, 200n, null)).toBe(200n);
    expect(cutTo(500n)).toBe(500n);
    expect(cutTo(500n, 600n, 501n)).toBe(500n);
    expect(cutTo(500n, -3n)).toBe(0n);
    expect(cutTo(10n ** 18n, maxAwardPoints)).toBe(1_000_000_000n);
  });
});
