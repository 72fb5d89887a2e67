import { creditTakenConstraint, insertCreditStatement } from "../../db/queries/conversion-sagas";
import type { ConstraintViolation } from "../../db/writer";
import { ApiError } from "../../errors";
import type { NewId } from "../../ids";
import { conversionInPosting } from "../conversions/postings";
import { commitUnit, type Unit } from "../ledger/movement";
import { type CreditOrder, type CreditReply, replyMessage } from "./messages";
import { SagaStepTaken, type ShardDatabase, sagaPostingContext } from "./saga";

const taken = (sagaId: string) => (violation: ConstraintViolation) =>
  violation.constraint === creditTakenConstraint ? new SagaStepTaken(sagaId) : undefined;

/**
 * Step 2, in the destination program's database, one atomic write: the decision keyed by the saga id, the
 * `conversion_in` posting crediting the member, and the reply to the source. When the destination refuses (the member
 * was erased, a refusal of its own), the refusal is the decision instead, written once with its reply. A second
 * delivery of the same order fails on the decision's key and throws `SagaStepTaken`: its reply is already in the
 * outbox. Any other failure (the database unreachable) throws and the order is delivered again later.
 */
export async function creditConversion(
  destination: ShardDatabase,
  order: CreditOrder,
  ids: NewId,
  at: Date,
): Promise<CreditReply> {
  const { saga } = order;
  const transactionId = ids("txn");
  const decide = (reply: CreditReply, rest: Pick<Unit, "postings">) =>
    commitUnit(
      destination.writer,
      {
        guards: [
          insertCreditStatement({
            sagaId: saga.id,
            outcome: reply.outcome,
            transactionId: reply.outcome === "credited" ? transactionId : null,
            reason: reply.outcome === "refused" ? reply.reason : null,
            createdAt: at,
          }),
        ],
        ...rest,
        effects: [replyMessage(reply, saga.fromProgramId, ids, at)],
        events: [],
        body: reply,
        status: 200,
      },
      taken(saga.id),
    );
  const credited: CreditReply = { sagaId: saga.id, outcome: "credited" };
  try {
    await decide(credited, {
      postings: [conversionInPosting(sagaPostingContext(saga, at, order.destinationExpiresAfterDays), transactionId)],
    });
    return credited;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const refused: CreditReply = { sagaId: saga.id, outcome: "refused", reason: `${error.code}: ${error.message}` };
    await decide(refused, { postings: [] });
    return refused;
  }
}
