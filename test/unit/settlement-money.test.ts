import { describe, expect, it } from "vitest";
import { formatMicros, formatMinor, lineAmountMinor, minorDigits } from "../../gateway/src/domain/settlement/money";

describe("statement line amounts", () => {
  it.each([
    // points, micros per point, currency, minor units: points × micros × 10^digits / 10^6, half to even
    [1_000, 12_000, "USD", 1_200],
    [5, 1_000, "USD", 0], // 0.5 cent: to the even 0
    [15, 1_000, "USD", 2], // 1.5 cents: to the even 2
    [25, 1_000, "USD", 2], // 2.5 cents: to the even 2
    [35, 1_000, "USD", 4], // 3.5 cents: to the even 4
    [26, 1_000, "USD", 3], // 2.6 cents: up
    [-15, 1_000, "USD", -2], // reversals net below zero round symmetrically
    [-25, 1_000, "USD", -2],
    [3, 12_345, "USD", 4], // 3.7035 cents
    [1_500, 333, "JPY", 0], // 0.4995 yen
    [1_502, 333, "JPY", 1], // 0.500166 yen
    [1, 1_500_000, "JPY", 2], // 1.5 yen: to the even 2
    [1_000, 1_234, "BHD", 1_234], // three decimals
    [9_007_199_254, 1_000_000, "USD", 900_719_925_400],
  ])("%i points at %i micros in %s is %i minor units", (points, micros, currency, expected) => {
    expect(lineAmountMinor(points, micros, currency)).toBe(expected);
  });

  it("refuses an amount beyond 2^53 instead of losing precision", () => {
    expect(() => lineAmountMinor(9_007_199_254_740_991, 1_000_000, "USD")).toThrow(RangeError);
  });

  it("formats minor units and micros as plain decimals", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(formatMinor(123_456, "USD")).toBe("1234.56");
    expect(formatMinor(5, "USD")).toBe("0.05");
    expect(formatMinor(-720, "USD")).toBe("-7.20");
    expect(formatMinor(1_500, "JPY")).toBe("1500");
    expect(formatMicros(12_000)).toBe("0.012000");
    expect(formatMicros(1_500_000)).toBe("1.500000");
  });
});
