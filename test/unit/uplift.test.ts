import { describe, expect, it } from "vitest";
import {
  type GroupSums,
  incrementalSpend,
  roi,
  upliftInterval95,
  upliftPct,
} from "../../gateway/src/domain/promotions/uplift";

/** Deterministic randomness (mulberry32), so every run fabricates the same population. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` draws of N(mean, sd) by Box-Muller, rounded to whole minor units like spends. */
function normalSpends(next: () => number, count: number, mean: number, sd: number): number[] {
  return Array.from({ length: count }, () => {
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    return Math.round(mean + sd * radius * Math.cos(2 * Math.PI * next()));
  });
}

/** What the performance query sums of a group. */
const sums = (values: readonly number[]): GroupSums => ({
  members: values.length,
  sum: values.reduce((total, value) => total + value, 0),
  sumOfSquares: values.reduce((total, value) => total + value * value, 0),
});

const repeat = (value: number, count: number) => Array.from({ length: count }, () => value);

describe("promotion uplift", () => {
  it("gives the known interval of a hand-computed pair of groups", () => {
    // Control: 15 at 900 and 15 at 1,100 (mean 1,000, variance 300,000 / 29); treatment the same moved up by 100.
    const control = sums([...repeat(900, 15), ...repeat(1_100, 15)]);
    const treatment = sums([...repeat(1_000, 15), ...repeat(1_200, 15)]);
    const standardError = Math.sqrt((2 * (300_000 / 29)) / 30); // 26.2613...
    expect(upliftPct(treatment, control)).toBeCloseTo(10, 12);
    const interval = upliftInterval95(treatment, control);
    expect(interval?.[0]).toBeCloseTo(((100 - 1.96 * standardError) / 1_000) * 100, 10);
    expect(interval?.[1]).toBeCloseTo(((100 + 1.96 * standardError) / 1_000) * 100, 10);
    expect(interval?.[0]).toBeCloseTo(4.8528, 3);
    expect(interval?.[1]).toBeCloseTo(15.1472, 3);
    expect(incrementalSpend(treatment, control)).toBe(3_000);
  });

  it("covers a known +10% effect and excludes 0 on 2,000 members per group", () => {
    const next = random(18);
    const control = sums(normalSpends(next, 2_000, 1_000, 200));
    const treatment = sums(normalSpends(next, 2_000, 1_100, 200));
    const interval = upliftInterval95(treatment, control);
    expect(interval).not.toBeNull();
    const [low, high] = interval as [number, number];
    expect(low).toBeLessThan(10);
    expect(high).toBeGreaterThan(10);
    expect(low).toBeGreaterThan(0);
    // se of the difference is 200 × sqrt(2 / 2,000) = 6.32, so the interval is about ±1.24 points wide.
    expect(high - low).toBeGreaterThan(2 * 1.1);
    expect(high - low).toBeLessThan(2 * 1.4);
    expect(upliftPct(treatment, control)).toBeGreaterThan(low);
    expect(upliftPct(treatment, control)).toBeLessThan(high);
  });

  it("covers 0 when the promotion changed nothing", () => {
    const next = random(1_018);
    const control = sums(normalSpends(next, 2_000, 1_000, 200));
    const treatment = sums(normalSpends(next, 2_000, 1_000, 200));
    const [low, high] = upliftInterval95(treatment, control) as [number, number];
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(0);
  });

  it("covers the true effect about 95% of the time, with unequal variances and group sizes", () => {
    const next = random(7);
    const runs = 400;
    let covered = 0;
    for (let run = 0; run < runs; run++) {
      const control = sums(normalSpends(next, 300, 1_000, 100));
      const treatment = sums(normalSpends(next, 700, 1_050, 400));
      const [low, high] = upliftInterval95(treatment, control) as [number, number];
      if (low <= 5 && 5 <= high) covered++;
    }
    // Binomial(400, 0.95): mean 380, sd 4.4; within four sd of it.
    expect(covered).toBeGreaterThanOrEqual(362);
    expect(covered).toBeLessThanOrEqual(398);
  });

  it("gives no interval under 30 members in either group", () => {
    const next = random(3);
    const big = sums(normalSpends(next, 2_000, 1_000, 200));
    const small = sums(normalSpends(next, 29, 1_100, 200));
    expect(upliftInterval95(small, big)).toBeNull();
    expect(upliftInterval95(big, small)).toBeNull();
    expect(
      upliftInterval95(sums(normalSpends(next, 30, 1_100, 200)), sums(normalSpends(next, 30, 1_000, 200))),
    ).not.toBeNull();
    // The point estimate stands without an interval.
    expect(upliftPct(small, big)).not.toBeNull();
  });

  it("gives no uplift of a control that spent nothing or has no members", () => {
    const spent = sums(repeat(1_000, 40));
    expect(upliftPct(spent, sums(repeat(0, 40)))).toBeNull();
    expect(upliftInterval95(spent, sums(repeat(0, 40)))).toBeNull();
    expect(upliftPct(spent, sums([]))).toBeNull();
    expect(incrementalSpend(spent, sums([]))).toBeNull();
    expect(incrementalSpend(sums([]), spent)).toBeNull();
  });

  it("takes a group whose members all spent the same as having no variance", () => {
    const interval = upliftInterval95(sums(repeat(1_234_567, 50)), sums(repeat(1_000_000, 50)));
    expect(interval?.[0]).toBeCloseTo(23.4567, 9);
    expect(interval?.[1]).toBeCloseTo(23.4567, 9);
  });

  it("gives roi only with a cost and a known incremental spend", () => {
    expect(roi(3_000, 1_000)).toBe(2);
    expect(roi(-500, 1_000)).toBe(-1.5);
    expect(roi(3_000, 0)).toBeNull();
    expect(roi(null, 1_000)).toBeNull();
  });
});
