import { sha256Hex } from "../../auth/secrets";
import { outboxInsert } from "../../db/queries/outbox";
import {
  findLastPeriod,
  findNames,
  insertPeriodStatement,
  insertSettlementStatement,
  insertStatementIssueStatement,
  listAgreementCurrencies,
  markTransactionsSettledStatements,
} from "../../db/queries/settlements";
import { asConstraintViolation, type Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Contribution, unsettledContributions } from "./movements";
import { buildStatements, type StatementDocument } from "./statements";

export type ClosedPeriod = {
  id: string;
  start: Date;
  end: Date;
  statements: (StatementDocument & { content_hash: string })[];
};

/** What closing `[start, end)` would issue, computed without writing anything. */
export type ComputedPeriod = {
  previous: { id: string; end: Date } | undefined;
  periodId: string;
  statements: ClosedPeriod["statements"];
  /** The movements the period settles. */
  transactionIds: string[];
};

/**
 * Checks that `[start, end)` may be closed (it has ended, it does not overlap the last closed period) and
 * computes its statements: every movement not settled before and made before `end`, priced and summed into one
 * statement per partner and currency. It only reads: the portal's preview shows exactly what a close would
 * write, as closing runs the same code and then writes its result.
 */
export async function computePeriod(
  deps: Pick<Deps, "db" | "reader" | "clock" | "ids">,
  input: { start: Date; end: Date },
): Promise<ComputedPeriod> {
  const now = deps.clock.now();
  checkEnded(input.end, now);
  const previous = await findLastPeriod(deps.db);
  checkFollows(previous, input.start);

  const { contributions, transactionIds } = await unsettledContributions(deps.reader, input.end);
  const periodId = deps.ids("stp");
  const statements = await issuedStatements(deps, contributions, { id: periodId, ...input }, now);
  return { previous, periodId, statements, transactionIds };
}

/** Refuses a period that has not ended. */
export function checkEnded(end: Date, now: Date) {
  if (end.getTime() > now.getTime())
    throw new ApiError("validation_failed", "A period can be closed only once it has ended: `end` is in the future.", {
      errors: [{ path: "end", message: "must not be in the future" }],
    });
}

/** Refuses a period that starts before the last closed one ended. */
export function checkFollows(previous: { end: Date } | undefined, start: Date) {
  if (previous && start.getTime() < previous.end.getTime())
    throw new ApiError(
      "conflict",
      `The period overlaps the last closed one, which ended at ${previous.end.toISOString()}; start there or later.`,
    );
}

/**
 * The contributions summed into every partner's statements for the period (one per currency of each program it has
 * an agreement in, read from `deps`: the directory's), each with the SHA-256 of its document.
 */
export async function issuedStatements(
  deps: Pick<Deps, "reader" | "ids">,
  contributions: Contribution[],
  period: { id: string; start: Date; end: Date },
  now: Date,
): Promise<ClosedPeriod["statements"]> {
  const [names, everyone] = await Promise.all([
    findNames(deps.reader),
    // Every partner gets a statement in the currency of each program it has an agreement in.
    listAgreementCurrencies(deps.reader, period.end),
  ]);
  const documents = buildStatements(contributions, everyone, {
    period: { id: period.id, start: period.start.toISOString(), end: period.end.toISOString() },
    names,
    newId: () => deps.ids("stm"),
    at: now,
  });
  return documents.map((document) => ({ ...document, content_hash: sha256Hex(JSON.stringify(document)) }));
}

/** Each statement stored with its hash, and announced by `settlement.statement_ready`. */
export function statementWrites(
  deps: Pick<Deps, "ids">,
  periodId: string,
  statements: ClosedPeriod["statements"],
  now: Date,
): Statement[] {
  return statements.flatMap((statement): Statement[] => [
    insertSettlementStatement({
      id: statement.id,
      periodId,
      partnerId: statement.partner.id,
      currency: statement.currency,
      netAmountMinor: statement.totals.net_amount_minor,
      document: JSON.stringify({ ...statement, content_hash: undefined }),
      contentHash: statement.content_hash,
      createdAt: now,
    }),
    ...outboxInsert({
      id: deps.ids("evt"),
      partnerId: statement.partner.id,
      type: "settlement.statement_ready",
      data: {
        id: statement.id,
        period: statement.period,
        currency: statement.currency,
        net_amount_minor: statement.totals.net_amount_minor,
        content_hash: statement.content_hash,
      },
      at: now,
    }),
  ]);
}

/** Two closes of one period raced: the later one's unique key refused its write. */
export const closedMeanwhile = () =>
  new ApiError(
    "conflict",
    "Another close of the same period committed first; its statements are listed by GET /v1/settlements.",
  );

/**
 * Closes `[start, end)` in one atomic write: the statements computePeriod computes, each stored with the
 * SHA-256 of its document, each announced by `settlement.statement_ready`, and every settled movement marked
 * with the period, so it can never be settled twice and nothing committed later is missed (it falls in the
 * next period).
 */
export async function closePeriod(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  input: { start: Date; end: Date; closedBy: string },
): Promise<ClosedPeriod> {
  const now = deps.clock.now();
  const { previous, periodId, statements, transactionIds } = await computePeriod(deps, input);

  const writes: Statement[] = [
    insertPeriodStatement({
      id: periodId,
      start: input.start,
      end: input.end,
      previousPeriodId: previous?.id ?? "none",
      closedBy: input.closedBy,
      createdAt: now,
    }),
    ...statementWrites(deps, periodId, statements, now),
    // Issued, even with no statement: a later close across databases must not take it for unfinished.
    insertStatementIssueStatement(periodId, now),
    ...markTransactionsSettledStatements(periodId, transactionIds),
  ];
  try {
    await deps.writer.write(writes);
  } catch (error) {
    if (asConstraintViolation(error)?.kind === "unique") throw closedMeanwhile();
    throw error;
  }
  return { id: periodId, start: input.start, end: input.end, statements };
}
