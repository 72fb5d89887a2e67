import type { SqlReader } from "../reader";
import type { conversionCredits, conversionSagas, shardMessages } from "../schema";
import type { Statement } from "../writer";
import { refusalStatement } from "./refusals";

export type SagaRow = typeof conversionSagas.$inferSelect;
export type CreditRow = typeof conversionCredits.$inferSelect;
export type ShardMessageRow = typeof shardMessages.$inferSelect;

export const insertSagaStatement = (
  saga: Omit<SagaRow, "state" | "reason" | "finishedAt" | "idempotencyKey">,
): Statement => ({
  sql: `insert into conversion_sagas (id, partner_id, from_program_id, from_member_id, to_program_id, to_member_id,
          from_points, to_points, hold_transaction_id, state, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'reserved', ?)`,
  args: [
    saga.id,
    saga.partnerId,
    saga.fromProgramId,
    saga.fromMemberId,
    saga.toProgramId,
    saga.toMemberId,
    saga.fromPoints,
    saga.toPoints,
    saga.holdTransactionId,
    saga.createdAt.getTime(),
  ],
});

/**
 * Moves a saga out of `reserved`, once: the refusal (`invalid_state`) fails the whole write when the saga is not
 * reserved any more, so a duplicate or late reply writes nothing.
 */
export const finishSagaStatements = (
  id: string,
  state: "settled" | "compensated",
  reason: string | null,
  at: Date,
): Statement[] => [
  refusalStatement("invalid_state", "exists (select 1 from conversion_sagas where id = ? and state = 'reserved')", [
    id,
  ]),
  {
    sql: "update conversion_sagas set state = ?, reason = ?, finished_at = ? where id = ?",
    args: [state, reason, at.getTime(), id],
  },
];

export async function findSaga(reader: SqlReader, id: string): Promise<SagaRow | undefined> {
  const row = await reader.first<Record<string, unknown>>("select * from conversion_sagas where id = ?", [id]);
  return row && sagaOf(row);
}

const sagaOf = (row: Record<string, unknown>): SagaRow => ({
  id: String(row.id),
  partnerId: String(row.partner_id),
  fromProgramId: String(row.from_program_id),
  fromMemberId: String(row.from_member_id),
  toProgramId: String(row.to_program_id),
  toMemberId: String(row.to_member_id),
  fromPoints: Number(row.from_points),
  toPoints: Number(row.to_points),
  holdTransactionId: String(row.hold_transaction_id),
  state: row.state as SagaRow["state"],
  reason: row.reason === null ? null : String(row.reason),
  createdAt: new Date(Number(row.created_at)),
  finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)),
  idempotencyKey: row.idempotency_key === null ? null : String(row.idempotency_key),
});

/** The destination's decision about a saga's credit; its primary key refuses a second one (`conversion_credits.saga_id`). */
export const insertCreditStatement = (credit: CreditRow): Statement => ({
  sql: "insert into conversion_credits (saga_id, outcome, transaction_id, reason, created_at) values (?, ?, ?, ?, ?)",
  args: [credit.sagaId, credit.outcome, credit.transactionId, credit.reason, credit.createdAt.getTime()],
});

/** The unique constraint a second credit decision fails with. */
export const creditTakenConstraint = "conversion_credits.saga_id";

export const insertShardMessageStatement = (message: Omit<ShardMessageRow, "deliveredAt">): Statement => ({
  sql: `insert into shard_messages (id, saga_id, kind, to_program_id, payload, created_at) values (?, ?, ?, ?, ?, ?)`,
  args: [message.id, message.sagaId, message.kind, message.toProgramId, message.payload, message.createdAt.getTime()],
});

/**
 * Messages not yet delivered, oldest first (ids are ULIDs): all of them (those after the id `after`, so a relay pages
 * past the ones it left undelivered), or one saga's.
 */
export async function findUndeliveredMessages(
  reader: SqlReader,
  limit: number,
  sagaId?: string,
  after = "",
): Promise<ShardMessageRow[]> {
  const rows = await (sagaId === undefined
    ? reader.all<Record<string, unknown>>(
        "select * from shard_messages where delivered_at is null and id > ? order by id limit ?",
        [after, limit],
      )
    : reader.all<Record<string, unknown>>(
        "select * from shard_messages where delivered_at is null and saga_id = ? order by id limit ?",
        [sagaId, limit],
      ));
  return rows.map((row) => ({
    id: String(row.id),
    sagaId: String(row.saga_id),
    kind: row.kind as ShardMessageRow["kind"],
    toProgramId: String(row.to_program_id),
    payload: String(row.payload),
    createdAt: new Date(Number(row.created_at)),
    deliveredAt: null,
  }));
}

export const markDeliveredStatement = (id: string, at: Date): Statement => ({
  sql: "update shard_messages set delivered_at = ? where id = ? and delivered_at is null",
  args: [at.getTime(), id],
});

/**
 * Refuses the write (`invalid_state`) unless `holdTransactionId` is a hold that nothing has released or spent yet and
 * no saga has started from: a held conversion's saga may start from its hold, or the hold be released, only while the
 * hold still reserves the points for nothing else.
 */
export const holdOpenStatement = (holdTransactionId: string): Statement =>
  refusalStatement(
    "invalid_state",
    `exists (select 1 from ledger_transactions where id = ? and type = 'hold')
     and not exists (select 1 from ledger_transactions where original_transaction_id = ?)
     and not exists (select 1 from conversion_sagas where hold_transaction_id = ?)`,
    [holdTransactionId, holdTransactionId, holdTransactionId],
  );

/** Records the `Idempotency-Key` of the request that started a saga, so that its end can rewrite the stored answer. */
export const sagaIdempotencyKeyStatement = (sagaId: string, key: string): Statement => ({
  sql: "update conversion_sagas set idempotency_key = ? where id = ?",
  args: [key, sagaId],
});

/**
 * Rewrites the answer stored under the `Idempotency-Key` that started the saga (if one did) to its outcome, so that a
 * retry with that key answers how the conversion ended rather than that it was pending.
 */
export const rewriteSagaAnswerStatement = (sagaId: string, status: number, body: string): Statement => ({
  sql: `update idempotency_keys set status_code = ?, response_body = ?
        where (partner_id, key) = (select partner_id, idempotency_key from conversion_sagas where id = ?)`,
  args: [status, body, sagaId],
});
