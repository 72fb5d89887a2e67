import type { Deps } from "../../deps";
import type { ProgramAccess } from "../access";
import type { Member } from "../members";
import { accountIds } from "./accounts";
import { type CommittedResponse, commitMovement, type IdempotencyRecord, type TransactionRow } from "./movement";
import { transactionBody } from "./present";

/**
 * Burn: the member pays the redeeming partner's account in the program. The member account's CHECK
 * refuses an overdraft inside the write itself, so concurrent burns can never take it below zero.
 */
export async function burn(
  deps: Pick<Deps, "writer" | "clock" | "ids">,
  input: {
    access: ProgramAccess;
    member: Member;
    partnerId: string;
    points: number;
    reference: string;
    description?: string | null;
  },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { program } = input.access;
  const now = deps.clock.now();
  const transaction: TransactionRow = {
    id: deps.ids("txn"),
    type: "burn",
    programId: program.id,
    memberId: input.member.id,
    partnerId: input.partnerId,
    points: input.points,
    reference: input.reference,
    description: input.description ?? null,
    originalTransactionId: null,
    expiresAt: null,
    purchaseAmountMinor: null,
    purchaseCurrency: null,
    createdAt: now,
  };
  return commitMovement(deps.writer, {
    transaction,
    legs: [
      {
        account: {
          id: accountIds.member(input.member.id),
          programId: program.id,
          kind: "member",
          memberId: input.member.id,
        },
        amount: -input.points,
      },
      {
        account: {
          id: accountIds.redeemed(program.id, input.partnerId),
          programId: program.id,
          kind: "redeemed",
          partnerId: input.partnerId,
        },
        amount: input.points,
      },
    ],
    balanceAccountId: accountIds.member(input.member.id),
    events: [...new Set([input.partnerId, program.partnerId])].map((partnerId) => ({
      id: deps.ids("evt"),
      partnerId,
      type: "points.burned" as const,
      at: now,
    })),
    body: transactionBody(transaction, input.member),
    status: 201,
    idempotency,
  });
}
