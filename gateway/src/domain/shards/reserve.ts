import { insertSagaStatement } from "../../db/queries/conversion-sagas";
import type { NewId } from "../../ids";
import { holdPosting } from "../conversions/postings";
import { type CommittedResponse, commitUnit, type Unit } from "../ledger/movement";
import { creditMessage } from "./messages";
import { type Saga, type ShardDatabase, sagaPostingContext } from "./saga";

/**
 * Step 1, in the source program's database, one atomic write: the member's points move to its hold (the accounts'
 * CHECK refuses the write if they are not there), the saga is recorded `reserved`, and the credit order goes to the
 * outbox for the destination. `request` carries what the API adds to the same write (the conversion row claiming the
 * quote, the daily usage, the idempotency record and the response); without it the response is the saga's id.
 */
export function reserveConversion(
  source: ShardDatabase,
  saga: Saga,
  destinationExpiresAfterDays: number | null,
  ids: NewId,
  request: Partial<Pick<Unit, "guards" | "events" | "body" | "status" | "idempotency">> = {},
): Promise<CommittedResponse> {
  const at = saga.createdAt;
  return commitUnit(source.writer, {
    guards: [insertSagaStatement(saga), ...(request.guards ?? [])],
    postings: [holdPosting(sagaPostingContext(saga, at), saga.holdTransactionId)],
    effects: [creditMessage({ saga, destinationExpiresAfterDays }, ids, at)],
    events: request.events ?? [],
    body: request.body ?? { id: saga.id, status: "pending" },
    status: request.status ?? 202,
    idempotency: request.idempotency,
  });
}
