import type { Deps } from "../../deps";
import { type Caller, managedProgram, type Program } from "../programs";
import { type LocalRange, reportRange } from "./range";

/** What every program report names first: the program, and the range as local dates of its zone. */
export type ProgramReportHead = { program_id: string; timezone: string; from: string; to: string };

/**
 * The program a report is of, for its owner (`programs:manage`) and the operator (others: 404, or 403 with an
 * agreement, as managing the program), and the range `query` asks for in the program's zone (400 naming a bad
 * `from` or `to`).
 */
export async function managedReportRange(
  deps: Pick<Deps, "db" | "clock">,
  caller: Caller,
  programId: string,
  query: { from?: string; to?: string },
): Promise<{ program: Program; range: LocalRange; head: ProgramReportHead }> {
  const program = await managedProgram(deps, caller, programId);
  const range = reportRange(query, program.timezone, deps.clock.now());
  return { program, range, head: { program_id: program.id, timezone: range.timezone, from: range.from, to: range.to } };
}
