import { findProgramRfm } from "../../db/queries/rfm";
import type { SqlReader } from "../../db/reader";
import type { Deps } from "../../deps";
import { type Caller, managedProgram } from "../programs";
import { rfmWindowDays, scoreProgram } from "./score";
import { type RfmSegment, rfmSegments, segmentGrid } from "./segments";

/** A program's last RFM scoring as the API shows it. */
export type RfmView = {
  programId: string;
  /** Null while the program was never scored. */
  computedAt: Date | null;
  windowDays: number;
  membersScored: number;
  /** Every segment, in the order of `rfmSegments`, with its members (0 included). */
  segments: { segment: RfmSegment; members: number }[];
  /** `grid[r - 1][f - 1]`: the members scored R `r` and F `f`. */
  grid: number[][];
};

/** A program's last scoring, for its owner (`programs:manage`) and the operator (managedProgram: 404 / 403). */
export async function readRfm(deps: Pick<Deps, "db" | "reader">, caller: Caller, programId: string): Promise<RfmView> {
  const program = await managedProgram(deps, caller, programId);
  return rfmView(deps.reader, program.id);
}

/** Scores a program now, for its owner and the operator, and answers the new scoring. */
export async function recomputeRfm(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock">,
  caller: Caller,
  programId: string,
): Promise<RfmView> {
  const program = await managedProgram(deps, caller, programId);
  await scoreProgram(deps, program.id);
  return rfmView(deps.reader, program.id);
}

async function rfmView(reader: SqlReader, programId: string): Promise<RfmView> {
  const found = await findProgramRfm(reader, programId);
  const grid = segmentGrid.map((row) => row.map(() => 0));
  const perSegment = new Map<string, number>();
  for (const cell of found?.cells ?? []) {
    const row = grid[cell.r - 1];
    if (row) row[cell.f - 1] = cell.members;
    perSegment.set(cell.segment, (perSegment.get(cell.segment) ?? 0) + cell.members);
  }
  return {
    programId,
    computedAt: found?.computedAt ?? null,
    windowDays: found?.windowDays ?? rfmWindowDays,
    membersScored: found?.membersScored ?? 0,
    segments: rfmSegments.map((segment) => ({ segment, members: perSegment.get(segment) ?? 0 })),
    grid,
  };
}
