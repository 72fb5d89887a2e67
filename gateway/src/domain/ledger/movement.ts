import type { AtomicWriter, Row, Statement } from "../../db/writer";
import { ConstraintViolation } from "../../db/writer";
import { ApiError } from "../../http/errors";
import { type JsonPatch, type OutboxEvent, outboxInsert, patchedJson } from "../outbox";
import { type AccountSpec, balanceOf, ensureAccount } from "./accounts";

export type TransactionType =
  | "earn"
  | "burn"
  | "reversal"
  | "expiry"
  | "conversion_out"
  | "conversion_in"
  | "adjustment";

export type TransactionRow = {
  id: string;
  type: TransactionType;
  programId: string;
  memberId: string;
  partnerId: string;
  points: number;
  reference: string | null;
  description: string | null;
  originalTransactionId: string | null;
  expiresAt: Date | null;
  purchaseAmountMinor: number | null;
  purchaseCurrency: string | null;
  createdAt: Date;
};

export type IdempotencyRecord = { partnerId: string; key: string; requestHash: string };

/**
 * One ledger movement, everything that must commit together: the transaction, its balanced legs, the
 * accounts they touch, other guarded updates, outbox events and the idempotency record with the response.
 */
export type Movement = {
  transaction: TransactionRow;
  legs: { account: AccountSpec; amount: number }[];
  /** The account whose balance becomes the transaction's `balance_after` (the member's). */
  balanceAccountId: string;
  /** Extra statements in the same unit: guarded counters such as `reversed_points`. */
  guards?: Statement[];
  events: Omit<OutboxEvent, "data">[];
  /** Response and event data, without `balance_after`, which the write fills in. */
  body: Record<string, unknown>;
  status: number;
  idempotency?: IdempotencyRecord;
};

/** Builds the statements of a movement; the last one returns the response body. */
export function movementStatements(movement: Movement): Statement[] {
  const { transaction: t, legs } = movement;
  const sum = legs.reduce((total, leg) => total + leg.amount, 0);
  if (sum !== 0 || legs.some((leg) => !Number.isSafeInteger(leg.amount) || leg.amount === 0))
    throw new Error(`unbalanced or invalid legs for ${t.id}: ${JSON.stringify(legs)}`);
  const balance = balanceOf(movement.balanceAccountId);
  const balancePatch: JsonPatch = { path: "$.balance_after", ...balance };
  const template = JSON.stringify({ ...movement.body, balance_after: 0 });
  const response = patchedJson(template, [balancePatch]);
  const at = t.createdAt.getTime();

  return [
    ...legs.map((leg) => ensureAccount(leg.account)),
    ...legs.map((leg) => ({
      sql: "update accounts set balance = balance + ? where id = ?",
      args: [leg.amount, leg.account.id],
    })),
    ...(movement.guards ?? []),
    {
      sql: `insert into ledger_transactions (id, type, program_id, member_id, partner_id, points, reversed_points, balance_after,
              reference, description, original_transaction_id, expires_at, purchase_amount_minor, purchase_currency, created_at)
            values (?, ?, ?, ?, ?, ?, 0, (${balance.sql}), ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        t.id,
        t.type,
        t.programId,
        t.memberId,
        t.partnerId,
        t.points,
        ...balance.args,
        t.reference,
        t.description,
        t.originalTransactionId,
        t.expiresAt?.getTime() ?? null,
        t.purchaseAmountMinor,
        t.purchaseCurrency,
        at,
      ],
    },
    ...legs.map((leg) => ({
      sql: "insert into ledger_entries (transaction_id, program_id, account_id, amount, created_at) values (?, ?, ?, ?, ?)",
      args: [t.id, leg.account.programId, leg.account.id, leg.amount, at],
    })),
    ...movement.events.map((event) =>
      outboxInsert({ ...event, data: { ...movement.body, balance_after: 0 } }, [balancePatch]),
    ),
    ...(movement.idempotency
      ? [
          {
            sql: `insert into idempotency_keys (partner_id, key, request_hash, status_code, response_body, created_at)
                  values (?, ?, ?, ?, ${response.sql}, ?)`,
            args: [
              movement.idempotency.partnerId,
              movement.idempotency.key,
              movement.idempotency.requestHash,
              movement.status,
              ...response.args,
              at,
            ],
          },
        ]
      : []),
    { sql: `select ${response.sql} as body`, args: response.args },
  ];
}

/** The committed response: status and the exact body text stored for replays. */
export type CommittedResponse = { status: number; body: string };

/**
 * Writes a movement atomically. A member account going below zero (the database CHECK) becomes 409
 * `insufficient_points`; an idempotency key taken meanwhile by a concurrent request is rethrown as
 * `IdempotencyKeyTaken` so the caller can replay the winner's response.
 */
export async function commitMovement(writer: AtomicWriter, movement: Movement): Promise<CommittedResponse> {
  let rows: Row[][];
  try {
    rows = await writer.write(movementStatements(movement));
  } catch (error) {
    if (error instanceof ConstraintViolation) {
      if (error.constraint === "accounts_member_non_negative")
        throw new ApiError("insufficient_points", "The member does not have enough available points.");
      if (error.constraint === "ledger_transactions_reversal_within_points")
        throw new ApiError("conflict", "The reversal exceeds what is left of the original transaction.");
      if (error.constraint.startsWith("idempotency_keys.")) throw new IdempotencyKeyTaken();
    }
    throw error;
  }
  const body = rows.at(-1)?.[0]?.body;
  if (typeof body !== "string") throw new Error("movement write returned no body");
  return { status: movement.status, body };
}

export class IdempotencyKeyTaken extends Error {
  constructor() {
    super("idempotency key committed by a concurrent request");
    this.name = "IdempotencyKeyTaken";
  }
}
