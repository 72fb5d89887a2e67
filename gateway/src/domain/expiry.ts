import { findDueExpiries, listExpiringPrograms, noExpirySinceStatement } from "../db/queries/expiry";
import { saveExpiryPositionsStatement } from "../db/queries/expiry-positions";
import { ConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import { ApiError, StaleWrite } from "../errors";
import { startPositionedRun } from "./expiry-positions";
import { accountIds } from "./ledger/accounts";
import { commitMovement, type TransactionRow } from "./ledger/movement";
import { transactionBody } from "./ledger/present";

/**
 * Expires points oldest first (FIFO) with `expiry` journal entries. No lot is ever updated: for each member,
 * what must have expired by now is the credits due by now, minus everything spent, minus what earlier runs
 * expired. Only the members that changed since the program's last run are read (./expiry-positions.ts): a lot of
 * theirs fell due, or they have a new journal row; the others are as that run left them. Running it again finds
 * nothing more to do, and two runs at once cannot both expire a member's points (a unique index on member and
 * boundary, and a guard against any expiry of the member written since the run began), so the job is idempotent.
 * Time comes from the injected clock.
 */
export async function expirePoints(deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids" | "log">) {
  const now = deps.clock.now();
  const run = await startPositionedRun(deps.reader, "expiry", now);
  const expiring = await listExpiringPrograms(deps.db);
  let expiredPoints = 0;
  let expiredMembers = 0;
  for (const program of expiring) {
    const since = run.since(program.id);
    const changes = { programId: program.id, lotsAfter: since.runAt, lotsUntil: now, rowsAfter: since.lastRowid };
    const due = (await run.examine(changes)) ? await findDueExpiries(deps.reader, changes) : [];
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
          guards: [noExpirySinceStatement(row.memberId, run.lastRowid)],
          events: [{ id: deps.ids("evt"), partnerId: program.partnerId, type: "points.expired", at: now }],
          body: transactionBody(transaction, { externalId: row.externalId }),
          status: 201,
        });
        expiredPoints += row.points;
        expiredMembers += 1;
      } catch (error) {
        // Another run expired the member's points first, or held points keep the balance below what is due. Either
        // way the next run reads the member again only if it changes (the other run's expiry is such a change).
        if (
          error instanceof ConstraintViolation ||
          error instanceof StaleWrite ||
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
  const reached = run.reached();
  if (reached.length > 0) await deps.writer.write([saveExpiryPositionsStatement("expiry", reached)]);
  return { expired_points: expiredPoints, members: expiredMembers };
}
