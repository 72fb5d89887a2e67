import {
  findUndeliveredMessages,
  markDeliveredStatement,
  type ShardMessageRow,
} from "../../db/queries/conversion-sagas";
import type { NewId } from "../../ids";
import type { Unit } from "../ledger/movement";
import { creditConversion } from "./credit";
import { finishConversion } from "./finish";
import { type CreditReply, creditOrderOf, creditReplyOf } from "./messages";
import { SagaStepTaken, type ShardDatabase } from "./saga";

/** The database that holds a program (the shard router's `databaseFor`). */
export type ProgramDatabase = (programId: string) => Promise<ShardDatabase>;

/** What the API writes with a saga's last step in the source (the conversion's status, its events), read there. */
export type FinishRequest = (
  source: ShardDatabase,
  reply: CreditReply,
  at: Date,
) => Promise<Partial<Pick<Unit, "events" | "guards">>>;

/** How a relay round runs: only one saga's messages, and what the API adds to a saga's last step. */
export type RelayOptions = { sagaId?: string; finishing?: FinishRequest };

/** Applies one message in its receiving database; a step already taken is done, so nothing is owed. */
export async function receiveMessage(
  target: ShardDatabase,
  message: ShardMessageRow,
  ids: NewId,
  at: Date,
  finishing?: FinishRequest,
): Promise<void> {
  try {
    if (message.kind === "credit") await creditConversion(target, creditOrderOf(message), ids, at);
    else {
      const reply = creditReplyOf(message);
      await finishConversion(target, reply, ids, at, await finishing?.(target, reply, at));
    }
  } catch (error) {
    if (!(error instanceof SagaStepTaken)) throw error;
  }
}

/**
 * One round of the relay for one database: each undelivered message, oldest first, is applied where its program
 * lives and then marked delivered here. A crash between the two delivers it again, which its receiver's keys make
 * harmless. A message whose receiver fails (unreachable) stays undelivered for the next round, and the round goes
 * on with the others; the failures are returned for the caller to log. A request drives its own saga with `sagaId`.
 */
export async function deliverMessages(
  from: ShardDatabase,
  databaseFor: ProgramDatabase,
  ids: NewId,
  now: () => Date,
  limit = 100,
  options: RelayOptions = {},
): Promise<{ delivered: number; failures: { messageId: string; error: unknown }[] }> {
  let delivered = 0;
  const failures: { messageId: string; error: unknown }[] = [];
  for (const message of await findUndeliveredMessages(from.reader, limit, options.sagaId)) {
    try {
      await receiveMessage(await databaseFor(message.toProgramId), message, ids, now(), options.finishing);
      await from.writer.write([markDeliveredStatement(message.id, now())]);
      delivered++;
    } catch (error) {
      failures.push({ messageId: message.id, error });
    }
  }
  return { delivered, failures };
}
