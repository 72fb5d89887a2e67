import type { members } from "../schema";
import type { Row, Statement } from "../writer";
import { refusalStatement } from "./refusals";
import type { SqlRow } from "./rows";

/**
 * Refuses the whole write (`invalid_state`) when the member was erased by the time it runs: an erase that commits
 * between an earn's read and its write must not let points in after it. Erasure is final, so a refusal here is read
 * back by `findErasure`.
 */
export const notErasedStatement = (memberId: string): Statement =>
  refusalStatement("invalid_state", "not exists (select 1 from members where id = ? and erased_at is not null)", [
    memberId,
  ]);

type ErasureRow = Pick<SqlRow<typeof members>, "external_id" | "program_id" | "erased_at">;

/**
 * Reads which of these members is erased, if any: run through the writer after a write refused itself, since only
 * the writer is at hand where movements are committed (a refused write is rare, so the extra round trip is too).
 */
export const findErasureStatement = (memberIds: readonly string[]): Statement => ({
  sql: `select external_id, program_id, erased_at from members
        where id in (${memberIds.map(() => "?").join(", ")}) and erased_at is not null limit 1`,
  args: [...memberIds],
});

/** The erased member a `findErasureStatement` found, with what its refusal names; undefined while none is. */
export function erasureOf(rows: readonly Row[] | undefined) {
  const row = rows?.[0] as ErasureRow | undefined;
  return row && { externalId: row.external_id, programId: row.program_id, erasedAt: new Date(Number(row.erased_at)) };
}
