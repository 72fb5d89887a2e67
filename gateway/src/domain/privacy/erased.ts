import { erasureOf, findErasureStatement, notErasedStatement } from "../../db/queries/privacy";
import { refusalOf } from "../../db/queries/refusals";
import { type AtomicWriter, ConstraintViolation, type Row, type Statement } from "../../db/writer";
import { ApiError } from "../../errors";
import type { Member } from "../members";

type Erasable = Pick<Member, "externalId" | "programId" | "erasedAt">;

/** The problem an erased member's write answers: 409 `invalid_state`, naming the member and when it was erased. */
const erasedProblem = (member: Erasable & { erasedAt: Date }) =>
  new ApiError(
    "invalid_state",
    `Member ${member.externalId} of program ${member.programId} was erased on ${member.erasedAt.toISOString()}; ` +
      "it can no longer earn, burn or change.",
  );

/**
 * Refuses any write for an erased member (earn, burn, redemption, transfer on either side, conversion on either
 * side, adjustment, profile update, card link, touchpoint, member page): its personal data is gone and must not come
 * back, and its points may no longer move but by reversals and expiry, which keep the books right. Reads stay open.
 * The writes check it again inside themselves (`notErasedStatement`), against an erase racing them.
 */
export function ensureNotErased(member: Erasable): void {
  if (member.erasedAt) throw erasedProblem({ ...member, erasedAt: member.erasedAt });
}

/**
 * The erasure problem of a write that refused itself as `invalid_state`, when one of `memberIds` is erased now.
 * Other guards of the same write may refuse it as `invalid_state` too; erasure is final, so a member erased now was
 * erased when the write ran (or in the instant after, which answers the same).
 */
export async function erasureRefusal(
  writer: AtomicWriter,
  error: unknown,
  memberIds: readonly string[],
): Promise<ApiError | undefined> {
  if (!(error instanceof ConstraintViolation) || refusalOf(error) !== "invalid_state" || memberIds.length === 0)
    return undefined;
  const erased = erasureOf((await writer.write([findErasureStatement(memberIds)]))[0]);
  return erased && erasedProblem(erased);
}

/**
 * Writes `statements` atomically unless the member is erased when they run (409 `invalid_state`, nothing written):
 * for the writes that are not ledger units (profile, cards, member pages). Answers the statements' own rows.
 */
export async function writeUnlessErased(writer: AtomicWriter, memberId: string, statements: Statement[]) {
  let rows: Row[][];
  try {
    rows = await writer.write([notErasedStatement(memberId), ...statements]);
  } catch (error) {
    throw (await erasureRefusal(writer, error, [memberId])) ?? error;
  }
  return rows.slice(1);
}
