import { type KpiProgram, listOwnedPrograms } from "../../db/queries/kpis";
import { listProgramSegments } from "../../db/queries/segments";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type RfmView, readRfm } from "../rfm/view";
import { segmentMembersCsv } from "./membership";
import type { Segment } from "./segments";

/**
 * What the partner portal shows a program's owner of its segments and RFM: each owned program's segments as last
 * counted and its last RFM scoring, and a segment's members as CSV. Unlike the API (403 for a partner with an
 * agreement in the program), every other partner is answered 404 here: the portal's Segments page is the owner's.
 */

export type OwnedSegments = { program: KpiProgram; segments: Segment[]; rfm: RfmView };

/** Every program `partnerId` owns, oldest first, with its segments (oldest first) and its RFM scoring. */
export async function ownedSegments(deps: Pick<Deps, "db" | "reader">, partnerId: string): Promise<OwnedSegments[]> {
  const owned = await listOwnedPrograms(deps.reader, partnerId);
  return Promise.all(
    owned.map(async (program) => {
      const [segments, rfm] = await Promise.all([
        listProgramSegments(deps.db, program.id),
        readRfm(deps, { partnerId }, program.id),
      ]);
      return { program, segments, rfm };
    }),
  );
}

/** The members CSV of a segment of a program `partnerId` owns (the API's very file); 404 for any other. */
export async function ownedSegmentCsv(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  partnerId: string,
  segmentId: string,
): Promise<{ segment: Segment; csv: string }> {
  try {
    return await segmentMembersCsv(deps, { partnerId }, segmentId);
  } catch (error) {
    // managedSegment's 403 is for a partner with an agreement in the program: not the owner, so not found here.
    if (error instanceof ApiError && error.code === "forbidden")
      throw new ApiError("not_found", `No segment ${segmentId}.`);
    throw error;
  }
}
