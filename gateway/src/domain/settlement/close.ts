import { desc } from "drizzle-orm";
import { sha256Hex } from "../../auth/secrets";
import { settlementPeriods } from "../../db/schema";
import { asConstraintViolation, type Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { outboxInsert } from "../outbox";
import { unsettledContributions } from "./movements";
import { buildStatements, type StatementDocument } from "./statements";

/** D1 binds at most 100 parameters per statement. */
const idsPerStatement = 90;

export type ClosedPeriod = {
  id: string;
  start: Date;
  end: Date;
  statements: (StatementDocument & { content_hash: string })[];
};

/**
 * Closes `[start, end)` in one atomic write: every movement not settled before and made before `end` is priced
 * and summed into one statement per partner and currency, each stored with the SHA-256 of its document, each
 * announced by `settlement.statement_ready`, and every such movement is marked with the period, so it can never
 * be settled twice and nothing committed later is missed (it falls in the next period).
 */
export async function closePeriod(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  input: { start: Date; end: Date; closedBy: string },
): Promise<ClosedPeriod> {
  const now = deps.clock.now();
  if (input.end.getTime() > now.getTime())
    throw new ApiError("validation_failed", "A period can be closed only once it has ended: `end` is in the future.", {
      errors: [{ path: "end", message: "must not be in the future" }],
    });
  const previous = await deps.db.select().from(settlementPeriods).orderBy(desc(settlementPeriods.end)).limit(1).get();
  if (previous && input.start.getTime() < previous.end.getTime())
    throw new ApiError(
      "conflict",
      `The period overlaps the last closed one, which ended at ${previous.end.toISOString()}; start there or later.`,
    );

  const { contributions, transactionIds } = await unsettledContributions(deps.reader, input.end);
  const [partnerRows, programRows, everyone] = await Promise.all([
    deps.reader.all<{ id: string; name: string }>("select id, name from partners"),
    deps.reader.all<{ id: string; name: string }>("select id, name from programs"),
    // Every partner gets a statement in the currency of each program it has an agreement in.
    deps.reader.all<{ partnerId: string; currency: string }>(
      `select distinct a.partner_id as partnerId, p.settlement_currency as currency
       from agreements a join programs p on p.id = a.program_id where a.valid_from < ?`,
      [input.end.getTime()],
    ),
  ]);
  const periodId = deps.ids("stp");
  const period = { id: periodId, start: input.start.toISOString(), end: input.end.toISOString() };
  const documents = buildStatements(contributions, everyone, {
    period,
    names: {
      partners: new Map(partnerRows.map((row) => [row.id, row.name])),
      programs: new Map(programRows.map((row) => [row.id, row.name])),
    },
    newId: () => deps.ids("stm"),
    at: now,
  });
  const statements = documents.map((document) => ({ ...document, content_hash: sha256Hex(JSON.stringify(document)) }));

  const writes: Statement[] = [
    {
      sql: `insert into settlement_periods (id, start, end, previous_period_id, closed_by, created_at)
            values (?, ?, ?, ?, ?, ?)`,
      args: [
        periodId,
        input.start.getTime(),
        input.end.getTime(),
        previous?.id ?? "none",
        input.closedBy,
        now.getTime(),
      ],
    },
    ...statements.flatMap((statement): Statement[] => [
      {
        sql: `insert into statements (id, period_id, partner_id, currency, net_amount_minor, document, content_hash, created_at)
              values (?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          statement.id,
          periodId,
          statement.partner.id,
          statement.currency,
          statement.totals.net_amount_minor,
          JSON.stringify({ ...statement, content_hash: undefined }),
          statement.content_hash,
          now.getTime(),
        ],
      },
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
    ]),
  ];
  for (let i = 0; i < transactionIds.length; i += idsPerStatement) {
    const chunk = transactionIds.slice(i, i + idsPerStatement);
    writes.push({
      sql: `update ledger_transactions set settlement_period_id = ?
            where settlement_period_id is null and id in (${chunk.map(() => "?").join(", ")})`,
      args: [periodId, ...chunk],
    });
  }
  try {
    await deps.writer.write(writes);
  } catch (error) {
    if (asConstraintViolation(error)?.kind === "unique")
      throw new ApiError("conflict", "Another close of the same period committed first; list the periods and retry.");
    throw error;
  }
  return { id: periodId, start: input.start, end: input.end, statements };
}
