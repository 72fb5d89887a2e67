import { isNotNull, sql } from "drizzle-orm";
import { programs } from "../db/schema";
import { ConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { accountIds } from "./ledger/accounts";
import { consumedPointsSql } from "./ledger/fifo";
import { commitMovement, type TransactionRow } from "./ledger/movement";
import { transactionBody } from "./ledger/present";

type Due = { member_id: string; external_id: string; boundary: number; expire: number };

/**
 * Expires points oldest first (FIFO) with `expiry` journal entries. No lot is ever updated: for each member,
 * what must have expired by now is the credits due by now, minus everything spent, minus what earlier runs
 * expired. Running it again finds nothing more to do, and two runs at once cannot both write (a unique
 * index on member and boundary), so the job is idempotent. Time comes from the injected clock.
 */
export async function expirePoints(deps: Pick<Deps, "db" | "writer" | "clock" | "ids" | "log">) {
  const now = deps.clock.now();
  const expiring = await deps.db
    .select({ id: programs.id, partnerId: programs.partnerId })
    .from(programs)
    .where(isNotNull(programs.pointsExpireAfterDays));
  let expiredPoints = 0;
  let expiredMembers = 0;
  for (const program of expiring) {
    const due = await deps.db.all<Due>(sql`
      select t.member_id, m.external_id,
        max(case when t.type in ('earn', 'conversion_in') and t.expires_at <= ${now.getTime()} then t.expires_at end) as boundary,
        sum(case when t.type in ('earn', 'conversion_in') and t.expires_at <= ${now.getTime()} then t.points - t.reversed_points else 0 end)
          - sum(${sql.raw(consumedPointsSql("t"))}) as expire
      from ledger_transactions t join members m on m.id = t.member_id
      where t.program_id = ${program.id}
        and t.member_id in (select member_id from ledger_transactions
                            where program_id = ${program.id} and type in ('earn', 'conversion_in') and expires_at <= ${now.getTime()})
      group by t.member_id
      having expire > 0`);
    for (const row of due) {
      const transaction: TransactionRow = {
        id: deps.ids("txn"),
        type: "expiry",
        programId: program.id,
        memberId: row.member_id,
        partnerId: program.partnerId,
        points: row.expire,
        reference: null,
        description: "Points expired",
        originalTransactionId: null,
        expiresAt: new Date(row.boundary),
        purchaseAmountMinor: null,
        purchaseCurrency: null,
        createdAt: now,
      };
      try {
        await commitMovement(deps.writer, {
          transaction,
          legs: [
            {
              account: {
                id: accountIds.member(row.member_id),
                programId: program.id,
                kind: "member",
                memberId: row.member_id,
              },
              amount: -row.expire,
            },
            {
              account: { id: accountIds.expired(program.id), programId: program.id, kind: "expired" },
              amount: row.expire,
            },
          ],
          balanceAccountId: accountIds.member(row.member_id),
          events: [{ id: deps.ids("evt"), partnerId: program.partnerId, type: "points.expired", at: now }],
          body: transactionBody(transaction, { externalId: row.external_id }),
          status: 201,
        });
        expiredPoints += row.expire;
        expiredMembers += 1;
      } catch (error) {
        // Another run wrote this boundary first, or held points keep the balance below what is due.
        if (
          error instanceof ConstraintViolation ||
          (error instanceof ApiError && error.code === "insufficient_points")
        ) {
          deps.log("warn", "expiry skipped", {
            member_id: row.member_id,
            program_id: program.id,
            reason: error.message,
          });
          continue;
        }
        throw error;
      }
    }
  }
  return { expired_points: expiredPoints, members: expiredMembers };
}
