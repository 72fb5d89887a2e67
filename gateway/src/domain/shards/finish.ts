import { findSaga, finishSagaStatements, type SagaRow } from "../../db/queries/conversion-sagas";
import { refusalOf } from "../../db/queries/refusals";
import type { ConstraintViolation } from "../../db/writer";
import type { NewId } from "../../ids";
import { conversionOutPosting, releasePosting } from "../conversions/postings";
import { commitUnit, type Posting, type Unit } from "../ledger/movement";
import type { CreditReply } from "./messages";
import { SagaStepTaken, type ShardDatabase, sagaPostingContext } from "./saga";

/**
 * Step 3, in the source program's database, one atomic write, on the destination's reply: settle (the held points
 * leave by `conversion_out`, as an approved held conversion's do) when it credited, compensate (the hold is released
 * back to the member) when it refused. The saga leaves `reserved` once only; a duplicate or late reply throws
 * `SagaStepTaken` having written nothing. `request` adds what the API writes with it (the conversion's events).
 */
export async function finishConversion(
  source: ShardDatabase,
  reply: CreditReply,
  ids: NewId,
  at: Date,
  request: Partial<Pick<Unit, "events" | "guards">> = {},
): Promise<SagaRow["state"]> {
  const saga = await findSaga(source.reader, reply.sagaId);
  if (!saga) throw new Error(`a reply for saga ${reply.sagaId}, which this database does not hold`);
  if (saga.state !== "reserved") throw new SagaStepTaken(saga.id);
  const context = sagaPostingContext(saga, at);
  const hold = { holdTransactionId: saga.holdTransactionId };
  const [state, posting, reason]: ["settled" | "compensated", Posting, string | null] =
    reply.outcome === "credited"
      ? ["settled", conversionOutPosting(context, ids("txn"), hold), null]
      : ["compensated", releasePosting(context, ids("txn"), saga.holdTransactionId), reply.reason];
  await commitUnit(
    source.writer,
    {
      guards: [...finishSagaStatements(saga.id, state, reason, at), ...(request.guards ?? [])],
      postings: [posting],
      events: request.events ?? [],
      body: { id: saga.id, state },
      status: 200,
    },
    (violation: ConstraintViolation) =>
      refusalOf(violation) === "invalid_state" ? new SagaStepTaken(saga.id) : undefined,
  );
  return state;
}
