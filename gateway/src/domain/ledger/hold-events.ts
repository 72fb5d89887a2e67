import { balanceOf } from "../../db/queries/accounts";
import { outboxInsert } from "../../db/queries/outbox";
import type { Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { accountIds } from "./accounts";
import type { TransactionRow } from "./movement";
import { transactionBody } from "./present";

/**
 * `points.held` or `points.released` for a hold or release that an order or a transfer writes (a held burn's own
 * are in burn.ts and burn-review.ts): the transaction as the API shows it, with the member's balance as the write
 * leaves it, to each recipient once. Statements for the unit's `effects`, after its postings.
 */
export function holdEventStatements(
  deps: Pick<Deps, "ids">,
  input: {
    type: "points.held" | "points.released";
    transaction: TransactionRow;
    externalId: string;
    recipients: readonly string[];
    at: Date;
  },
): Statement[] {
  const { transaction } = input;
  const data = { ...transactionBody(transaction, { externalId: input.externalId }), balance_after: 0 };
  const balance = { path: "$.balance_after", ...balanceOf(accountIds.member(transaction.memberId)) };
  return [...new Set(input.recipients)].flatMap((partnerId) =>
    outboxInsert({ id: deps.ids("evt"), partnerId, type: input.type, data, at: input.at }, [balance]),
  );
}
