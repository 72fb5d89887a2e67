import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

export type Group = "treatment" | "control";

/**
 * The member's bucket in a promotion, 0..9999: `uint32_be(sha256(promotion_id + ":" + member_id)[0..4]) % 10000`
 * (the contract's formula, so a program can recompute who is held out). A hash rather than a random draw: the same
 * member always lands in the same group, on every gateway, without storing anything first.
 */
export function controlBucket(promotionId: string, memberId: string): number {
  const digest = sha256(utf8ToBytes(`${promotionId}:${memberId}`));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) % 10_000;
}

/** Held out (`control`) when the member's bucket is below the promotion's `control_group_bps`. */
export const groupOf = (promotion: { id: string; controlGroupBps: number }, memberId: string): Group =>
  controlBucket(promotion.id, memberId) < promotion.controlGroupBps ? "control" : "treatment";
