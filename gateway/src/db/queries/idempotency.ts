import { lt } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { idempotencyKeys } from "../schema";
import type { Statement } from "../writer";
import { type JsonPatch, patchedJson } from "./json-patch";
import type { SqlRow } from "./rows";

export type StoredResponse = Pick<typeof idempotencyKeys.$inferSelect, "requestHash" | "statusCode" | "responseBody">;
type KeyOf = Pick<typeof idempotencyKeys.$inferSelect, "partnerId" | "key" | "requestHash">;

/** The first response stored under a partner's key, if any: read by every request that sends a key. */
export async function findIdempotencyKey(
  reader: SqlReader,
  partnerId: string,
  key: string,
): Promise<StoredResponse | undefined> {
  const row = await first<Pick<SqlRow<typeof idempotencyKeys>, "request_hash" | "status_code" | "response_body">>(
    reader,
    "select request_hash, status_code, response_body from idempotency_keys where partner_id = ? and key = ?",
    [partnerId, key],
  );
  return row && { requestHash: row.request_hash, statusCode: row.status_code, responseBody: row.response_body };
}

/**
 * The key's record inside the atomic write of what the request did, so the key has an effect at most once.
 * `patches` fill values only the write knows into the stored body, as in the response itself.
 */
export const insertIdempotencyKeyStatement = (
  key: KeyOf,
  response: { status: number; body: string; patches?: readonly JsonPatch[] },
  at: Date,
): Statement => {
  const body = patchedJson(response.body, response.patches);
  return {
    sql: `insert into idempotency_keys (partner_id, key, request_hash, status_code, response_body, created_at)
          values (?, ?, ?, ?, ${body.sql}, ?)`,
    args: [key.partnerId, key.key, key.requestHash, response.status, ...body.args, at.getTime()],
  };
};

/** Stores the response of a request whose write is already done; a concurrent first store wins. */
export async function saveIdempotencyKey(db: Db, row: typeof idempotencyKeys.$inferInsert): Promise<void> {
  await db.insert(idempotencyKeys).values(row).onConflictDoNothing();
}

/** Deletes the keys stored before `cutoff`; answers how many. */
export async function deleteIdempotencyKeysBefore(db: Db, cutoff: Date): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, cutoff))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
