import type { Deps } from "../../deps";
import { memberAccess } from "../access";
import { ensureNotErased } from "../privacy/erased";
import { type Caller, ensureOpen, managedProgram } from "../programs";
import { issuanceAccount, memberAccount, pointsExpireAt } from "./accounts";
import { type CommittedResponse, commitMovement, type IdempotencyRecord, type TransactionRow } from "./movement";
import { transactionBody } from "./present";

export type AdjustInput = {
  /** Who asks: the program's owner or the operator (scope `programs:manage` / `operator`). */
  caller: Caller;
  /** Who made it, for the audit: the credential's client id (a portal user's id when the portal adjusts). */
  actor: string;
  programId: string;
  externalId: string;
  /** Signed: positive credits the member, negative debits it. */
  points: number;
  reason: string;
};

/**
 * An adjustment: a goodwill credit or a correction, made by the program's owner (or the operator on its
 * behalf), audited with its `actor` and `reason`. It moves points between the program's issuance account and
 * the member, as an earn does (a credit) or as reversing one does (a debit), but it is not an earn: it never
 * counts toward `lifetime_earned` (nor, later, toward tiers), and fraud rules do not apply to the owner's own
 * corrections. A credit expires with the program's expiry, like an earn; a debit consumes the oldest lots, like a
 * burn. A debit never takes the member below zero: the member account's CHECK refuses the whole write (409
 * `insufficient_points`), under any concurrency. A closed program takes no credits (409 `invalid_state`).
 * Adjustments are never reversed: a correcting adjustment undoes one. On statements they are the owner's own
 * issuance (a memo line, `adjustment`, at the owner's issue price).
 */
export async function adjust(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  input: AdjustInput,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const managed = await managedProgram(deps, input.caller, input.programId);
  const now = deps.clock.now();
  // The owner always has an agreement with its program, so its access finds the member for the operator too.
  const { program, member } = await memberAccess(deps.reader, managed.id, input.externalId, managed.partnerId, now);
  if (!Number.isSafeInteger(input.points) || input.points === 0) throw new Error("adjustment without points");
  ensureNotErased(member);
  const credit = input.points > 0;
  if (credit) ensureOpen(program);
  const points = Math.abs(input.points);
  const transaction: TransactionRow = {
    id: deps.ids("txn"),
    type: "adjustment",
    programId: program.id,
    memberId: member.id,
    // The owner's issuance moves, whoever made it: the operator adjusts on the owner's behalf (`actor` says who).
    partnerId: program.partnerId,
    points,
    reference: null,
    description: null,
    reason: input.reason,
    actor: input.actor,
    originalTransactionId: null,
    expiresAt: credit ? pointsExpireAt(program, now) : null,
    purchaseAmountMinor: null,
    purchaseCurrency: null,
    createdAt: now,
  };
  const account = memberAccount(program.id, member.id);
  return commitMovement(deps.writer, {
    transaction,
    legs: [
      { account: issuanceAccount(program.id), amount: -input.points },
      { account, amount: input.points },
    ],
    balanceAccountId: account.id,
    events: [{ id: deps.ids("evt"), partnerId: program.partnerId, type: "points.adjusted", at: now }],
    body: transactionBody({ ...transaction, debit: !credit }, member),
    status: 201,
    idempotency,
  });
}
