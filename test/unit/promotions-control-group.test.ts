import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { controlBucket, groupOf } from "../../gateway/src/domain/promotions/control-group";

/** The contract's formula, computed here with Node's own SHA-256 rather than the gateway's library. */
const bucket = (promotionId: string, memberId: string) =>
  createHash("sha256").update(`${promotionId}:${memberId}`).digest().readUInt32BE(0) % 10_000;

const memberIds = Array.from({ length: 10_000 }, (_, i) => `mem_01jdz${i.toString(36).padStart(20, "0")}`);

describe("promotion control groups", () => {
  it("puts every member in the bucket the contract's formula gives", () => {
    for (const memberId of memberIds)
      expect(controlBucket("pro_01jdzcontrol", memberId)).toBe(bucket("pro_01jdzcontrol", memberId));
  });

  it.each([500, 2_500, 5_000])("holds out a share of %i bps within three binomial standard deviations", (bps) => {
    const promotion = { id: `pro_share_${bps}`, controlGroupBps: bps };
    const held = memberIds.filter((memberId) => groupOf(promotion, memberId) === "control").length;
    const p = bps / 10_000;
    const expected = memberIds.length * p;
    const sigma = Math.sqrt(memberIds.length * p * (1 - p));
    expect(Math.abs(held - expected)).toBeLessThan(3 * sigma);
  });

  it("keeps each member in its group however often asked, and holds nobody out at 0 bps", () => {
    const promotion = { id: "pro_stable", controlGroupBps: 1_000 };
    const first = memberIds.map((memberId) => groupOf(promotion, memberId));
    expect(memberIds.map((memberId) => groupOf(promotion, memberId))).toEqual(first);
    expect(
      memberIds.some((memberId) => groupOf({ id: "pro_stable", controlGroupBps: 0 }, memberId) === "control"),
    ).toBe(false);
  });

  it("draws the groups of two promotions independently", () => {
    const a = { id: "pro_a", controlGroupBps: 5_000 };
    const b = { id: "pro_b", controlGroupBps: 5_000 };
    const both = memberIds.filter((id) => groupOf(a, id) === "control" && groupOf(b, id) === "control").length;
    // Independent halves overlap in a quarter: 2,500 with a standard deviation of about 43.
    expect(Math.abs(both - 2_500)).toBeLessThan(3 * Math.sqrt(10_000 * 0.25 * 0.75));
  });
});
