import {
  findConversionObligations,
  listAgreementPrices,
  listPeriodMovements,
} from "../../db/queries/settlement-movements";
import {
  findLastPeriod,
  findPeriod,
  insertStatementIssueStatement,
  isPeriodIssued,
  markPeriodStatements,
} from "../../db/queries/settlements";
import type { settlementPeriods } from "../../db/schema";
import { asConstraintViolation } from "../../db/writer";
import type { Deps, Shards } from "../../deps";
import { ApiError } from "../../errors";
import {
  type ClosedPeriod,
  checkEnded,
  checkFollows,
  closedMeanwhile,
  issuedStatements,
  statementWrites,
} from "./close";
import { contributionsOf, convertedIds } from "./movements";

type Period = typeof settlementPeriods.$inferSelect;
type ShardedDeps = Deps & { shards: Shards };

/**
 * Closes `[start, end)` on every database of a sharded deployment (docs/scale-out.md, section 3), in steps that a
 * retry of the same close finishes:
 * 1. each database, main first, in its own atomic write: the period's row (same id and bounds everywhere) and its
 *    own journal marked with the period (every transaction not settled before and made before `end`). A database
 *    holding the row already is skipped, so nothing is marked twice;
 * 2. main, in one atomic write: every partner's statements summed from the rows every database marked, their
 *    `settlement.statement_ready` events, and the period's issue row, whose primary key lets this happen once.
 * A close that failed part-way (a database unreachable) leaves the period open for its statements: repeating it with
 * the same bounds finishes it, and a close of any other period is refused until then.
 */
export async function closePeriodEverywhere(
  deps: ShardedDeps,
  input: { start: Date; end: Date; closedBy: string },
): Promise<ClosedPeriod> {
  const now = deps.clock.now();
  checkEnded(input.end, now);
  const period = await periodToClose(deps, input, now);
  for (const name of deps.shards.names()) await markOn(deps.shards.deps(name), name, period);

  const statements = await issuedStatements(deps, await contributionsEverywhere(deps, period.id), period, now);
  try {
    await deps.writer.write([
      insertStatementIssueStatement(period.id, now),
      ...statementWrites(deps, period.id, statements, now),
    ]);
  } catch (error) {
    if (asConstraintViolation(error)?.kind === "unique") throw closedMeanwhile();
    throw error;
  }
  return { id: period.id, start: period.start, end: period.end, statements };
}

/** The last period again when these are its bounds and its statements are not issued yet; else a new one after it. */
async function periodToClose(
  deps: ShardedDeps,
  input: { start: Date; end: Date; closedBy: string },
  now: Date,
): Promise<Period> {
  const last = await findLastPeriod(deps.db);
  const issued = last === undefined || (await isPeriodIssued(deps.db, last.id));
  if (last && !issued) {
    if (last.start.getTime() === input.start.getTime() && last.end.getTime() === input.end.getTime()) return last;
    throw new ApiError(
      "conflict",
      `The period ${last.id} (${last.start.toISOString()} to ${last.end.toISOString()}) is not closed on every ` +
        "database yet: repeat its close with that start and end to finish it first.",
    );
  }
  checkFollows(last, input.start);
  return {
    id: deps.ids("stp"),
    start: input.start,
    end: input.end,
    previousPeriodId: last?.id ?? "none",
    closedBy: input.closedBy,
    createdAt: now,
  };
}

/** Step 1 on one database; a database that holds the period already has marked its journal. */
async function markOn(database: Deps, name: string, period: Period) {
  if (await findPeriod(database.db, period.id).catch(unreachable(name, period))) return;
  try {
    await database.writer.write(markPeriodStatements(period));
  } catch (error) {
    if (asConstraintViolation(error)?.kind !== "unique") return unreachable(name, period)(error);
    // Another close of this period marked it meanwhile; a different period after the same one is a conflict.
    if (!(await findPeriod(database.db, period.id))) throw closedMeanwhile();
  }
}

const unreachable =
  (name: string, period: Period) =>
  (error: unknown): never => {
    throw new ApiError(
      "service_unavailable",
      `The database ${name} could not close the period ${period.id} (${String(error)}); the databases before it ` +
        "did. Repeat the same close to finish it: nothing is settled twice.",
    );
  };

/**
 * Every database's marked movements as statement contributions, priced with the directory's agreements. A conversion
 * between databases credits its points in the destination's journal while its row (the obligation) is in the
 * source's, so obligations are looked up on every database.
 */
async function contributionsEverywhere(deps: ShardedDeps, periodId: string) {
  const databases = deps.shards.names().map((name) => deps.shards.deps(name));
  const movements = (
    await Promise.all(databases.map((database) => listPeriodMovements(database.reader, periodId)))
  ).flat();
  const ids = convertedIds(movements);
  const obligations = new Map(
    ids.length === 0
      ? []
      : (await Promise.all(databases.map((database) => findConversionObligations(database.reader, ids)))).flatMap(
          (found) => [...found],
        ),
  );
  return contributionsOf(movements, await listAgreementPrices(deps.reader), obligations);
}
