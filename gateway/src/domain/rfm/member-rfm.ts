import { findMemberRfms } from "../../db/queries/rfm";
import type { SqlReader } from "../../db/reader";
import type { RfmSegment } from "./segments";

/** A member's RFM scores as the member object shows them; `score` is the three digits, such as "545". */
export type MemberRfmView = {
  r: number;
  f: number;
  m: number;
  score: string;
  segment: RfmSegment;
  computedAt: Date;
};

type StoredScores = { r: number; f: number; m: number; segment: string; computedAt: Date };

/** Stored scores as the member object shows them. */
export const rfmView = (rfm: StoredScores): MemberRfmView => ({
  r: rfm.r,
  f: rfm.f,
  m: rfm.m,
  score: `${rfm.r}${rfm.f}${rfm.m}`,
  // The scoring writes only segments of the grid (./segments.ts).
  segment: rfm.segment as RfmSegment,
  computedAt: rfm.computedAt,
});

/**
 * The RFM scores of some members, by member id, in one read (a list page reads its members' together); members
 * the last scoring of their program did not score are left out.
 */
export async function memberRfms(reader: SqlReader, memberIds: readonly string[]): Promise<Map<string, MemberRfmView>> {
  const found = await findMemberRfms(reader, memberIds);
  return new Map([...found].map(([memberId, rfm]) => [memberId, rfmView(rfm)]));
}
