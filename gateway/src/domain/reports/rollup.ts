import { refusalOf } from "../../db/queries/refusals";
import {
  findRolledRowid,
  listJournalAfter,
  listProgramJournalPage,
  listProgramZones,
  rebuildProgramStatements,
  rollupBatchStatements,
} from "../../db/queries/report-rollups";
import { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { createFold, foldTransactions } from "./fold";

type RollupDeps = Pick<Deps, "reader" | "writer" | "clock" | "log">;

/** What one run of the roll-up job did. */
export type RollupRun = {
  /** Journal rows folded into the roll-ups by this run. */
  rows: number;
  /** The last journal rowid the roll-ups hold now. */
  last_rowid: number;
  /** Programs whose zone changed, rolled up again from their first row. */
  programs_rebuilt: number;
};

export type RollupOptions = {
  /**
   * Journal rows per step, each one read and one atomic write: large enough that a million rows are few steps,
   * small enough that a step holds SQLite's write lock briefly and its arguments stay far below D1's limits.
   */
  batchRows?: number;
  /** Steps per run at most (200,000 rows by default): a run, a Worker's cron included, stays within seconds; the next goes on. */
  maxBatches?: number;
};

/**
 * The roll-up job (idempotent, run with the other scheduled jobs): first, each program whose zone changed since its
 * roll-ups were made is rolled up again from scratch in its new zone; then the journal rows written since the last
 * run are folded, a batch at a time in rowid order, into per (program, local day) figures and the members active
 * each day, ISO week and month. Each step is one atomic write that refuses itself if another run moved on first, so
 * two runs at once never count a row twice: the one refused stops, the other goes on. Reports read the roll-ups
 * plus the rows after them, folded by the same code (./kpis.ts), so they never wait for this job.
 */
export async function rollUpReports(deps: RollupDeps, options: RollupOptions = {}): Promise<RollupRun> {
  const batchRows = options.batchRows ?? 20_000;
  const maxBatches = options.maxBatches ?? 10;
  let rebuilt = 0;
  for (const zone of await listProgramZones(deps.reader)) {
    if (zone.rolledIn === null || zone.rolledIn === zone.timezone) continue;
    if (await rebuildProgram(deps, { ...zone, rolledIn: zone.rolledIn }, batchRows)) rebuilt += 1;
  }
  let position = await findRolledRowid(deps.reader);
  let rows = 0;
  for (let step = 0; step < maxBatches; step += 1) {
    const batch = await listJournalAfter(deps.reader, position, batchRows);
    const last = batch.at(-1);
    if (!last) break;
    // Read after the batch, so every program of the batch is known; a program keeps the zone its roll-ups are in.
    const zones = new Map(
      (await listProgramZones(deps.reader)).map((zone) => [zone.programId, zone.rolledIn ?? zone.timezone]),
    );
    const zoneOf = (programId: string) => zones.get(programId) ?? "UTC";
    const programs = [...new Set(batch.map((row) => row.programId))];
    const written = await stepOrStop(deps, "batch", () =>
      deps.writer.write(
        rollupBatchStatements({
          readRowid: position,
          lastRowid: last.rowid,
          zones: programs.map((programId) => ({ programId, timezone: zoneOf(programId) })),
          folded: foldTransactions(batch, zoneOf),
          at: deps.clock.now(),
        }),
      ),
    );
    if (!written) break;
    rows += batch.length;
    position = last.rowid;
    if (batch.length < batchRows) break;
  }
  return { rows, last_rowid: position, programs_rebuilt: rebuilt };
}

/**
 * Rolls a program up again in its new zone: its journal through the job's position, read a page at a time, folded,
 * and written in one atomic write that replaces its roll-ups (until then its reports fold its journal live).
 */
async function rebuildProgram(
  deps: RollupDeps,
  zone: { programId: string; timezone: string; rolledIn: string },
  pageRows: number,
): Promise<boolean> {
  const lastRowid = await findRolledRowid(deps.reader);
  const fold = createFold(() => zone.timezone);
  let after = { createdAt: Number.MIN_SAFE_INTEGER, rowid: 0 };
  for (;;) {
    const page = await listProgramJournalPage(deps.reader, zone.programId, lastRowid, after, pageRows);
    fold.add(page);
    const last = page.at(-1);
    if (!last || page.length < pageRows) break;
    after = { createdAt: last.createdAt, rowid: last.rowid };
  }
  return stepOrStop(deps, "rebuild", () =>
    deps.writer.write(rebuildProgramStatements({ ...zone, lastRowid, folded: fold.result() })),
  );
}

/** Runs one step's write: false when it refused itself because another run got there first. */
async function stepOrStop(deps: RollupDeps, step: string, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (!(error instanceof ConstraintViolation) || refusalOf(error) !== "invalid_state") throw error;
    deps.log("info", "report roll-up step left to another run", { step });
    return false;
  }
}
