import { insertShardMessageStatement, type ShardMessageRow } from "../../db/queries/conversion-sagas";
import type { Statement } from "../../db/writer";
import type { NewId } from "../../ids";
import type { Saga } from "./saga";

/** What the source asks of the destination: credit the saga's `to_points`, expiring as the destination says. */
export type CreditOrder = { saga: Saga; destinationExpiresAfterDays: number | null };

/** What the destination answers: credited, or refused and why. */
export type CreditReply =
  | { sagaId: string; outcome: "credited" }
  | { sagaId: string; outcome: "refused"; reason: string };

export function creditMessage(order: CreditOrder, ids: NewId, at: Date): Statement {
  return insertShardMessageStatement({
    id: ids("smg"),
    sagaId: order.saga.id,
    kind: "credit",
    toProgramId: order.saga.toProgramId,
    payload: JSON.stringify(order),
    createdAt: at,
  });
}

/** The destination's answer, addressed to the source program's database. */
export function replyMessage(reply: CreditReply, fromProgramId: string, ids: NewId, at: Date): Statement {
  return insertShardMessageStatement({
    id: ids("smg"),
    sagaId: reply.sagaId,
    kind: reply.outcome,
    toProgramId: fromProgramId,
    payload: JSON.stringify(reply),
    createdAt: at,
  });
}

/** Reads a credit order back from its message (dates travel as ISO text). */
export function creditOrderOf(message: ShardMessageRow): CreditOrder {
  const order = JSON.parse(message.payload) as CreditOrder & { saga: { createdAt: string } };
  return { ...order, saga: { ...order.saga, createdAt: new Date(order.saga.createdAt) } };
}

export const creditReplyOf = (message: ShardMessageRow): CreditReply => JSON.parse(message.payload) as CreditReply;
