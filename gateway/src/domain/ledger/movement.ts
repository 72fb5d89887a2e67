import { addToBalance, balanceOf, ensureAccount, type NewAccount } from "../../db/queries/accounts";
import { assertionConstraint } from "../../db/queries/assertions";
import { insertIdempotencyKeyStatement } from "../../db/queries/idempotency";
import { type JsonPatch, selectPatchedJson } from "../../db/queries/json-patch";
import { insertEntriesStatements, insertTransactionsStatements } from "../../db/queries/ledger";
import { outboxInsert } from "../../db/queries/outbox";
import { notErasedStatement } from "../../db/queries/privacy";
import type { idempotencyKeys, ledgerTransactions } from "../../db/schema";
import type { AtomicWriter, Row, Statement } from "../../db/writer";
import { ConstraintViolation } from "../../db/writer";
import { ApiError, IdempotencyKeyTaken, StaleWrite } from "../../errors";
import type { OutboxEvent } from "../outbox";
import { erasureRefusal } from "../privacy/erased";

export type TransactionType = (typeof ledgerTransactions.$inferSelect)["type"];

/** A journal transaction as a movement makes it: the row but for what the write and later reversals fill in. */
type Optional = "channel" | "storeId" | "reason" | "actor" | "bonusSource" | "bonusSourceId" | "parentTransactionId";
export type TransactionRow = Omit<
  typeof ledgerTransactions.$inferSelect,
  "reversedPoints" | "balanceAfter" | "settlementPeriodId" | Optional
> &
  Partial<Pick<typeof ledgerTransactions.$inferSelect, Optional>>;

/** Where an earn or burn happened, if the partner said: a channel (store, web, app...) and its own store id. */
export type MovementPlace = { channel?: string | null; storeId?: string | null };

/** The `Idempotency-Key` a request came with: recorded with the response in the same atomic write. */
export type IdempotencyRecord = Pick<typeof idempotencyKeys.$inferSelect, "partnerId" | "key" | "requestHash">;

/** One journal transaction with its balanced legs; `balanceAccountId` becomes its `balance_after`. */
export type Posting = {
  transaction: TransactionRow;
  legs: { account: NewAccount; amount: number }[];
  balanceAccountId: string;
};

/**
 * Everything one operation writes, committed together or not at all: its postings, guarded updates
 * (counters whose CHECK refuses the whole unit), outbox events, and the idempotency record holding the
 * response. `bodyPatches` fill values only the write knows (such as `balance_after`) into the response and
 * the events' data.
 */
export type Unit = {
  postings: Posting[];
  guards?: Statement[];
  /** Run after the postings, which they may read (a tier move, an assertion over the new journal rows). */
  effects?: Statement[];
  /** Events carry the response body as data unless they bring their own. */
  events: (Omit<OutboxEvent, "data"> & { data?: unknown })[];
  body: Record<string, unknown>;
  bodyPatches?: JsonPatch[];
  status: number;
  idempotency?: IdempotencyRecord;
  /** When the unit happens, for its idempotency record; default: its first posting's time (a unit may have none). */
  at?: Date;
  /** Members the unit concerns that must not be erased when it commits, besides those its postings move (./privacy). */
  notErased?: string[];
};

/** A movement of a single transaction whose response is that transaction with its `balance_after`. */
export type Movement = Posting &
  Omit<Unit, "postings" | "bodyPatches" | "events"> & { events: Omit<OutboxEvent, "data">[] };

/**
 * The postings' statements but the creation of their accounts (`unitStatements` creates each account once): each
 * balance moved once by what all postings move it (an earn and its bonuses move the same two accounts), then each
 * transaction row, whose `balance_after` is the balance the batch leaves less what later postings move it, then
 * every leg. The accounts' CHECK sees the balance the unit leaves, which is what commits.
 */
function postingsStatements(postings: readonly Posting[]): Statement[] {
  const moved = new Map<string, number>();
  for (const { transaction, legs } of postings) {
    const sum = legs.reduce((total, leg) => total + leg.amount, 0);
    if (sum !== 0 || legs.some((leg) => !Number.isSafeInteger(leg.amount) || leg.amount === 0))
      throw new Error(`unbalanced or invalid legs for ${transaction.id}: ${JSON.stringify(legs)}`);
    for (const leg of legs) moved.set(leg.account.id, (moved.get(leg.account.id) ?? 0) + leg.amount);
  }
  const later = new Map(moved);
  const rows = postings.map(({ transaction, legs, balanceAccountId }) => {
    for (const leg of legs) later.set(leg.account.id, (later.get(leg.account.id) ?? 0) - leg.amount);
    return { transaction, balanceAccountId, later: later.get(balanceAccountId) ?? 0 };
  });
  return [
    ...[...moved].filter(([, amount]) => amount !== 0).map(([account, amount]) => addToBalance(account, amount)),
    ...insertTransactionsStatements(rows),
    ...insertEntriesStatements(
      postings.flatMap(({ transaction, legs }) => legs.map((leg) => ({ transaction, ...leg }))),
    ),
  ];
}

/** Creates the accounts the postings move, each once (an earn and its bonuses move the same two). */
function accountStatements(postings: readonly Posting[]): Statement[] {
  const accounts = new Map(postings.flatMap((posting) => posting.legs.map((leg) => [leg.account.id, leg.account])));
  return [...accounts.values()].map(ensureAccount);
}

/** The movements a member makes of its own accord, which an erased member may no longer make. */
const ownMovements: ReadonlySet<TransactionType> = new Set([
  "earn",
  "burn",
  "hold",
  "adjustment",
  "transfer_out",
  "transfer_in",
  "conversion_out",
  "conversion_in",
]);

/**
 * The members a unit must find not erased, each once: its `notErased`, and those its postings of `ownMovements` move
 * of their own accord (following no earlier transaction). Reversals, releases, expiries and bonuses stay possible
 * for an erased member (they keep the books right or are another member's doing), and so does deciding a hold it
 * made before (which points at it).
 */
function guardedMembers(unit: Unit): string[] {
  const moving = unit.postings
    .map((posting) => posting.transaction)
    .filter((transaction) => ownMovements.has(transaction.type) && !transaction.originalTransactionId);
  return [...new Set([...(unit.notErased ?? []), ...moving.map((transaction) => transaction.memberId)])];
}

/** Builds the statements of a unit; the last one returns the response body as stored. */
function unitStatements(unit: Unit): Statement[] {
  const patches = unit.bodyPatches ?? [];
  const template = JSON.stringify(unit.body);
  const at = unit.at ?? unit.postings[0]?.transaction.createdAt ?? new Date();
  return [
    // First, so that an erase committed since the member was read is what the refusal is read back as.
    ...guardedMembers(unit).map(notErasedStatement),
    ...(unit.guards ?? []),
    ...accountStatements(unit.postings),
    ...postingsStatements(unit.postings),
    ...(unit.effects ?? []),
    ...unit.events.flatMap((event) =>
      event.data === undefined
        ? outboxInsert({ ...event, data: unit.body }, patches)
        : outboxInsert({ ...event, data: event.data }),
    ),
    ...(unit.idempotency
      ? [insertIdempotencyKeyStatement(unit.idempotency, { status: unit.status, body: template, patches }, at)]
      : []),
    selectPatchedJson(template, patches),
  ];
}

/** The committed response: status and the exact body text stored for replays. */
export type CommittedResponse = { status: number; body: string };

/** How a unit's own guards read when they refuse it; the ledger's constraints are mapped below. */
export type ConstraintMeaning = (violation: ConstraintViolation) => Error | undefined;

/**
 * Writes a unit atomically. A member erased since it was read refuses it (409 `invalid_state` naming the erasure);
 * a member account going below zero (the database CHECK) becomes 409 `insufficient_points`; an idempotency key
 * taken meanwhile by a concurrent request is rethrown as `IdempotencyKeyTaken` so the caller can replay the
 * winner's response.
 */
export async function commitUnit(
  writer: AtomicWriter,
  unit: Unit,
  meaning?: ConstraintMeaning,
): Promise<CommittedResponse> {
  let rows: Row[][];
  try {
    rows = await writer.write(unitStatements(unit));
  } catch (error) {
    if (error instanceof ConstraintViolation) {
      const erased = await erasureRefusal(writer, error, guardedMembers(unit));
      if (erased) throw erased;
      const meant = meaning?.(error);
      if (meant) throw meant;
      if (error.constraint === "accounts_member_non_negative")
        throw new ApiError("insufficient_points", "The member does not have enough available points.");
      if (error.constraint === "ledger_transactions_reversal_within_points")
        throw new ApiError("conflict", "The reversal exceeds what is left of the original transaction.");
      if (error.constraint.startsWith("idempotency_keys.")) throw new IdempotencyKeyTaken();
      // A fact the write was planned on changed, or a concurrent write paid the same upgrade bonus first.
      if (error.constraint === assertionConstraint || error.constraint === oneUpgradeBonus) throw new StaleWrite();
    }
    throw error;
  }
  const body = rows.at(-1)?.[0]?.body;
  if (typeof body !== "string") throw new Error("unit write returned no body");
  return { status: unit.status, body };
}

/** How SQLite names the unique index `ledger_transactions_one_upgrade_bonus` when it refuses a row. */
const oneUpgradeBonus = "ledger_transactions.member_id, ledger_transactions.bonus_source_id";

/**
 * Runs `attempt` again while it fails with `StaleWrite` (its write was planned on facts a concurrent write changed),
 * re-reading each time; after `times` tries the caller is asked to retry, which is safe with its Idempotency-Key.
 */
export async function retryingStaleWrites<T>(attempt: () => Promise<T>, times = 20): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleWrite)) throw error;
      if (tried >= times)
        throw new ApiError("conflict", "The member changed under this request too often; retry it with the same key.");
    }
  }
}

/** Commits a single-transaction movement; the response is the transaction with its `balance_after`. */
export function commitMovement(writer: AtomicWriter, movement: Movement): Promise<CommittedResponse> {
  const { transaction, legs, balanceAccountId, ...rest } = movement;
  return commitUnit(writer, {
    ...rest,
    postings: [{ transaction, legs, balanceAccountId }],
    body: { ...movement.body, balance_after: 0 },
    bodyPatches: [{ path: "$.balance_after", ...balanceOf(balanceAccountId) }],
  });
}
