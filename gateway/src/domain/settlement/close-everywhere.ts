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
 * Closes `[start, end)` on every database of a sharded deployment (docs/scale-out.md: section 2's table, section 7 item 2), in steps that a
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

  const statements = await issuedStatements(deps, await contributionsEverywhere(deps, period), period, now);
  try {
    await deps.writer.write([
      insertStatementIssueStatement(period.id, now),
      ...statementWrites(deps, period.id, statements, now),
    ]);
  } catch (error) {
    if (asConstraintViolation(error)?.kind === "unique") throw closedMeanwhile();
    return unreachable(deps, "main", period)(error);
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
  if (await findPeriod(database.db, period.id).catch(unreachable(database, name, period))) return;
  try {
    await database.writer.write(markPeriodStatements(period));
  } catch (error) {
    if (asConstraintViolation(error)?.kind !== "unique") return unreachable(database, name, period)(error);
    // Another close of this period marked it meanwhile; a different period after the same one is a conflict.
    if (!(await findPeriod(database.db, period.id))) throw closedMeanwhile();
  }
}

/** A database failed mid-close: the driver's error goes to the log, the client learns which database and to repeat. */
const unreachable =
  ({ log }: Pick<Deps, "log">, name: string, period: Period) =>
  (error: unknown): never => {
    log("error", "settlement close: a database failed", { database: name, period_id: period.id, error: String(error) });
    throw new ApiError(
      "service_unavailable",
      `The database ${name} could not be reached while closing the period ${period.id}. Repeat the same close to ` +
        "finish it: nothing is settled twice.",
    );
  };

/**
 * Every database's marked movements as statement contributions, priced with the directory's agreements. A conversion
 * between databases credits its points in the destination's journal while its row (the obligation) is in the
 * source's, so obligations are looked up on every database.
 */
async function contributionsEverywhere(deps: ShardedDeps, period: Period) {
  const names = deps.shards.names();
  /** One read on every database, a failing one answered as that database unreachable. */
  const onEach = <T>(read: (database: Deps) => Promise<T>) =>
    Promise.all(
      names.map((name) => {
        const database = deps.shards.deps(name);
        return read(database).catch(unreachable(database, name, period));
      }),
    );
  const movements = (await onEach((database) => listPeriodMovements(database.reader, period.id))).flat();
  const ids = convertedIds(movements);
  const obligations = new Map(
    ids.length === 0
      ? []
      : (await onEach((database) => findConversionObligations(database.reader, ids))).flatMap((found) => [...found]),
  );
  return contributionsOf(movements, await listAgreementPrices(deps.reader), obligations);
}
