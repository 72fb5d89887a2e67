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
): Promise<{ delivered: number; failures: Failure[] }> {
  const { delivered, failures } = await deliverRound(from, databaseFor, ids, now, limit, options);
  return { delivered, failures };
}

type Failure = { messageId: string; error: unknown };

/**
 * The relay's scheduled run from one database: rounds of `limit` messages, each after the last one read, until a round
 * finds fewer or `budgetMs` has passed, so a backlog drains in one run. A destination that fails once is skipped for
 * the rest of the run (its messages counted in `skipped`), so messages to a database that is down do not hold up the
 * others'; they stay undelivered for the next run.
 */
export async function drainMessages(
  from: ShardDatabase,
  databaseFor: ProgramDatabase,
  ids: NewId,
  now: () => Date,
  options: { limit: number; budgetMs: number; finishing?: FinishRequest },
): Promise<{ delivered: number; failures: Failure[]; skipped: number }> {
  const until = Date.now() + options.budgetMs;
  const down = new Set<ShardDatabase>();
  const total = { delivered: 0, failures: [] as Failure[], skipped: 0 };
  let after = "";
  for (;;) {
    const round = await deliverRound(from, databaseFor, ids, now, options.limit, { ...options, after, down });
    total.delivered += round.delivered;
    total.failures.push(...round.failures);
    total.skipped += round.skipped;
    if (round.last === undefined || round.read < options.limit || Date.now() >= until) return total;
    after = round.last;
  }
}

/** One round; with `down`, a destination in it is skipped and one that fails is added to it. */
async function deliverRound(
  from: ShardDatabase,
  databaseFor: ProgramDatabase,
  ids: NewId,
  now: () => Date,
  limit: number,
  options: RelayOptions & { after?: string; down?: Set<ShardDatabase> },
) {
  let delivered = 0;
  let skipped = 0;
  const failures: Failure[] = [];
  const messages = await findUndeliveredMessages(from.reader, limit, options.sagaId, options.after);
  for (const message of messages) {
    let target: ShardDatabase | undefined;
    try {
      target = await databaseFor(message.toProgramId);
      if (options.down?.has(target)) {
        skipped++;
        continue;
      }
      await receiveMessage(target, message, ids, now(), options.finishing);
      await from.writer.write([markDeliveredStatement(message.id, now())]);
      delivered++;
    } catch (error) {
      failures.push({ messageId: message.id, error });
      if (target) options.down?.add(target);
    }
  }
  return { delivered, skipped, failures, read: messages.length, last: messages.at(-1)?.id };
}
