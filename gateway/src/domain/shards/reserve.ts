import { holdOpenStatement, insertSagaStatement } from "../../db/queries/conversion-sagas";
import { refusalOf } from "../../db/queries/refusals";
import { ApiError } from "../../errors";
import type { NewId } from "../../ids";
import { holdPosting } from "../conversions/postings";
import {
  type CommittedResponse,
  type ConstraintMeaning,
  commitUnit,
  type Posting,
  type Unit,
} from "../ledger/movement";
import { creditMessage } from "./messages";
import { type Saga, type ShardDatabase, sagaPostingContext } from "./saga";

/** What the API adds to the write that starts a saga (the conversion row, the daily usage, the idempotency record, the response). */
export type SagaRequest = Partial<Pick<Unit, "guards" | "events" | "body" | "status" | "idempotency">>;

/** A saga to start: the conversion, how long the destination keeps the points, and what the request adds. */
export type SagaStart = {
  saga: Saga;
  destinationExpiresAfterDays: number | null;
  ids: NewId;
  request?: SagaRequest;
};

/** The write that starts a saga: its row and its credit order, with `postings` and what the request adds. */
function startingUnit(start: SagaStart, postings: Posting[], guards: Unit["guards"] = []): Unit {
  const { saga, destinationExpiresAfterDays, ids, request = {} } = start;
  return {
    // `guards` first: a held conversion's hold must be open before this saga's own row names it.
    guards: [...guards, insertSagaStatement(saga), ...(request.guards ?? [])],
    postings,
    effects: [creditMessage({ saga, destinationExpiresAfterDays }, ids, saga.createdAt)],
    events: request.events ?? [],
    body: request.body ?? { id: saga.id, status: "pending" },
    status: request.status ?? 202,
    idempotency: request.idempotency,
    at: saga.createdAt,
  };
}

/**
 * Step 1, in the source program's database, one atomic write: the member's points move to its hold (the accounts'
 * CHECK refuses the write if they are not there), the saga is recorded `reserved`, and the credit order goes to the
 * outbox for the destination. Without a request the response is the saga's id. A retry of a write whose answer was
 * lost fails on the saga's primary key (`conversion_sagas.id`), or on the API's idempotency record. `meaning` reads
 * the request's own guards when they refuse the write.
 */
export function reserveConversion(
  source: ShardDatabase,
  start: SagaStart,
  meaning?: ConstraintMeaning,
): Promise<CommittedResponse> {
  const hold = holdPosting(sagaPostingContext(start.saga, start.saga.createdAt), start.saga.holdTransactionId);
  return commitUnit(source.writer, startingUnit(start, [hold]), meaning);
}

/**
 * Step 1 for a conversion that was held for review and is now approved: the review's hold already reserves the points,
 * so the write records the saga and its credit order only, and only while that hold is still open (neither released
 * by a rejection nor spent nor started): otherwise 409 `invalid_state`. `meaning` reads the request's own guards.
 */
export function startHeldConversion(
  source: ShardDatabase,
  start: SagaStart,
  meaning?: ConstraintMeaning,
): Promise<CommittedResponse> {
  const { holdTransactionId } = start.saga;
  return commitUnit(source.writer, startingUnit(start, [], [holdOpenStatement(holdTransactionId)]), (violation) =>
    refusalOf(violation) === "invalid_state"
      ? new ApiError("invalid_state", `The hold ${holdTransactionId} no longer reserves the points.`)
      : meaning?.(violation),
  );
}
