import { findDueExpiries, listExpiringPrograms } from "../db/queries/expiry";
import { ConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { accountIds } from "./ledger/accounts";
import { commitMovement, type TransactionRow } from "./ledger/movement";
import { transactionBody } from "./ledger/present";

/**
 * Expires points oldest first (FIFO) with `expiry` journal entries. No lot is ever updated: for each member,
 * what must have expired by now is the credits due by now, minus everything spent, minus what earlier runs
 * expired. Running it again finds nothing more to do, and two runs at once cannot both write (a unique
 * index on member and boundary), so the job is idempotent. Time comes from the injected clock.
 */
export async function expirePoints(deps: Pick<Deps, "db" | "writer" | "clock" | "ids" | "log">) {
  const now = deps.clock.now();
  const expiring = await listExpiringPrograms(deps.db);
  let expiredPoints = 0;
  let expiredMembers = 0;
  for (const program of expiring) {
    const due = await findDueExpiries(deps.db, program.id, now);
    for (const row of due) {
      const transaction: TransactionRow = {
        id: deps.ids("txn"),
        type: "expiry",
        programId: program.id,
        memberId: row.memberId,
        partnerId: program.partnerId,
        points: row.points,
        reference: null,
        description: "Points expired",
        originalTransactionId: null,
        expiresAt: row.boundary,
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
                id: accountIds.member(row.memberId),
                programId: program.id,
                kind: "member",
                memberId: row.memberId,
              },
              amount: -row.points,
            },
            {
              account: { id: accountIds.expired(program.id), programId: program.id, kind: "expired" },
              amount: row.points,
            },
          ],
          balanceAccountId: accountIds.member(row.memberId),
          events: [{ id: deps.ids("evt"), partnerId: program.partnerId, type: "points.expired", at: now }],
          body: transactionBody(transaction, { externalId: row.externalId }),
          status: 201,
        });
        expiredPoints += row.points;
        expiredMembers += 1;
      } catch (error) {
        // Another run wrote this boundary first, or held points keep the balance below what is due.
        if (
          error instanceof ConstraintViolation ||
          (error instanceof ApiError && error.code === "insufficient_points")
        ) {
          deps.log("warn", "expiry skipped", {
            member_id: row.memberId,
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
