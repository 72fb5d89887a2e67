import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * In the directory database: which database holds a program (docs/scale-out.md). A program without a row is on the
 * default database (`DATABASE_URL`, or the D1 binding `DB`), so a single-database deployment never writes one.
 */
export const programPlacements = sqliteTable("program_placements", {
  programId: text("program_id").primaryKey(),
  database: text("database").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * In the source program's database: a conversion between programs on different databases, from its reservation (a
 * hold of the member's points) until it is settled (the points leave by `conversion_out`) or compensated (the hold is
 * released because the destination refused). It leaves `reserved` once only: the update is guarded by the state.
 */
export const conversionSagas = sqliteTable(
  "conversion_sagas",
  {
    /** The conversion's id. */
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    fromProgramId: text("from_program_id").notNull(),
    fromMemberId: text("from_member_id").notNull(),
    toProgramId: text("to_program_id").notNull(),
    toMemberId: text("to_member_id").notNull(),
    fromPoints: integer("from_points").notNull(),
    toPoints: integer("to_points").notNull(),
    holdTransactionId: text("hold_transaction_id").notNull(),
    state: text("state", { enum: ["reserved", "settled", "compensated"] }).notNull(),
    /** Why the destination refused, for a compensated saga. */
    reason: text("reason"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    /** The `Idempotency-Key` of the request that reserved it, whose stored answer the saga's end rewrites. */
    idempotencyKey: text("idempotency_key"),
  },
  (t) => [
    index("conversion_sagas_state").on(t.state, t.id),
    // An approval or rejection checks that no saga started from the review's hold.
    index("conversion_sagas_hold").on(t.holdTransactionId),
  ],
);

/**
 * In the destination program's database: what it decided about a saga's credit, once. The primary key on the saga id
 * is what makes a second delivery of the same credit write nothing.
 */
export const conversionCredits = sqliteTable("conversion_credits", {
  sagaId: text("saga_id").primaryKey(),
  outcome: text("outcome", { enum: ["credited", "refused"] }).notNull(),
  /** The `conversion_in` transaction, when credited. */
  transactionId: text("transaction_id"),
  reason: text("reason"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * A message from this database to the database of `to_program_id`, written in the same atomic write as the saga step
 * that sends it; the relay delivers the undelivered ones and marks each delivered once the receiver has committed.
 */
export const shardMessages = sqliteTable(
  "shard_messages",
  {
    id: text("id").primaryKey(),
    sagaId: text("saga_id").notNull(),
    kind: text("kind", { enum: ["credit", "credited", "refused"] }).notNull(),
    toProgramId: text("to_program_id").notNull(),
    /** The message's content as JSON (the saga's fields, or the refusal's reason). */
    payload: text("payload").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("shard_messages_undelivered").on(t.id).where(sql`${t.deliveredAt} is null`)],
);
