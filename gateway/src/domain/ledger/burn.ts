import { insertFraudEventStatement } from "../../db/queries/fraud";
import { insertReviewStatement } from "../../db/queries/reviews";
import type { Deps } from "../../deps";
import type { MemberAccess } from "../access";
import { refuse } from "../fraud/events";
import { burnVerdict } from "../fraud/velocity";
import { ensureNotErased } from "../privacy/erased";
import { accountIds, memberAccount } from "./accounts";
import {
  type CommittedResponse,
  commitMovement,
  type IdempotencyRecord,
  type MovementPlace,
  type TransactionRow,
} from "./movement";
import { transactionBody } from "./present";

export type BurnInput = {
  access: MemberAccess;
  partnerId: string;
  points: number;
  reference: string;
  description?: string | null;
} & MovementPlace;

/**
 * Burn: the member pays the redeeming partner's account in the program. The member account's CHECK
 * refuses an overdraft inside the write itself, so concurrent burns can never take it below zero.
 * The program's velocity rules may reject it (429 naming the rule) or hold it: then the points move to
 * the member's hold account (`pending`), a review is opened, and the answer is 202 with the hold.
 */
export async function burn(
  deps: Pick<Deps, "writer" | "clock" | "realClock" | "ids" | "limiter" | "log">,
  input: BurnInput,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { program } = input.access;
  const member = input.access.member;
  ensureNotErased(member);
  const context = {
    operation: "burn" as const,
    partnerId: input.partnerId,
    programId: program.id,
    memberId: member.id,
    points: input.points,
  };
  const verdict = await burnVerdict(deps, input.access, input.points);
  if (verdict.action === "reject") await refuse(deps, verdict, context);
  const held = verdict.action === "hold";
  const now = deps.clock.now();
  const transaction: TransactionRow = {
    id: deps.ids("txn"),
    type: held ? "hold" : "burn",
    programId: program.id,
    memberId: member.id,
    partnerId: input.partnerId,
    points: input.points,
    reference: input.reference,
    description: input.description ?? null,
    channel: input.channel ?? null,
    storeId: input.storeId ?? null,
    originalTransactionId: null,
    expiresAt: null,
    purchaseAmountMinor: null,
    purchaseCurrency: null,
    createdAt: now,
  };
  const account = memberAccount(program.id, member.id);
  const reviewId = held ? deps.ids("rev") : null;
  return commitMovement(deps.writer, {
    transaction,
    legs: [
      { account, amount: -input.points },
      {
        account: held
          ? { id: accountIds.memberHold(member.id), programId: program.id, kind: "member_hold", memberId: member.id }
          : {
              id: accountIds.redeemed(program.id, input.partnerId),
              programId: program.id,
              kind: "redeemed",
              partnerId: input.partnerId,
            },
        amount: input.points,
      },
    ],
    balanceAccountId: account.id,
    guards:
      verdict.action === "hold" && reviewId
        ? [
            insertReviewStatement({
              id: reviewId,
              kind: "burn",
              partnerId: input.partnerId,
              programId: program.id,
              memberId: member.id,
              points: input.points,
              rule: verdict.rule,
              reason: verdict.reason,
              holdTransactionId: transaction.id,
              reference: input.reference,
              description: input.description ?? null,
              createdAt: now,
            }),
            insertFraudEventStatement({
              id: deps.ids("fev"),
              rule: verdict.rule,
              decision: "held",
              ...context,
              detail: verdict.reason,
              reviewId,
              at: now,
            }),
          ]
        : [],
    events: [...new Set([input.partnerId, program.partnerId])].map((partnerId) => ({
      id: deps.ids("evt"),
      partnerId,
      type: held ? ("points.held" as const) : ("points.burned" as const),
      at: now,
    })),
    body: { ...transactionBody(transaction, member), ...(held && { status: "held", review_id: reviewId }) },
    status: held ? 202 : 201,
    idempotency,
  });
}
