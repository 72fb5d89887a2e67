import {
  findCardHolder,
  linkCardStatements,
  linkOutcome,
  unlinkCardStatement,
  unlinkedCard,
} from "../db/queries/cards";
import { findProgramById } from "../db/queries/programs";
import type { memberCards } from "../db/schema";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { type MemberAccess, memberAccess, programAccess } from "./access";
import { ensureNotErased, writeUnlessErased } from "./privacy/erased";
import { ensureOpen } from "./programs";

/** A card number (normalised) linked to a member of a program. */
export type Card = typeof memberCards.$inferSelect;

/**
 * The number as stored and looked up: without spaces and dashes, upper-cased, so "4000 1234-5678" and
 * "400012345678" are the same card. The route's schema has already refused anything else.
 */
export const normaliseCardNumber = (input: string) => input.replace(/[ -]/g, "").toUpperCase();

/**
 * The partner whose agreement the caller acts through in a program: its own for a partner; for the operator
 * (`partnerId` null), the program owner's, which every program has from its creation. A program the caller may
 * not see answers 404 (its agreement is checked by the access reads that follow).
 */
async function actingPartner(deps: Pick<Deps, "db">, programId: string, partnerId: string | null) {
  const actingAs = partnerId ?? (await findProgramById(deps.db, programId))?.partnerId;
  if (!actingAs) throw new ApiError("not_found", `No program ${programId}.`);
  return actingAs;
}

type Readers = Pick<Deps, "db" | "reader" | "clock">;

/** A member as the caller (a partner, or the operator with `partnerId` null) may act on it, else 404. */
export async function cardMemberAccess(
  deps: Readers,
  programId: string,
  externalId: string,
  partnerId: string | null,
): Promise<MemberAccess> {
  const actingAs = await actingPartner(deps, programId, partnerId);
  return memberAccess(deps.reader, programId, externalId, actingAs, deps.clock.now());
}

/**
 * The member holding card `number` in a program, as the caller may see it. The program's access is settled
 * before the card's absence is told, so a program the caller may not see answers its 404 whatever the number.
 */
export async function memberByCard(
  deps: Readers,
  programId: string,
  input: string,
  partnerId: string | null,
): Promise<MemberAccess> {
  const actingAs = await actingPartner(deps, programId, partnerId);
  const number = normaliseCardNumber(input);
  const holder = await findCardHolder(deps.reader, programId, number);
  if (!holder) {
    await programAccess(deps.reader, programId, actingAs, deps.clock.now());
    throw new ApiError("not_found", `No card ${number} in program ${programId}.`);
  }
  return memberAccess(deps.reader, programId, holder.externalId, actingAs, deps.clock.now());
}

/**
 * Links `number` to the member in one atomic write. Already linked to this member: nothing changes and the
 * link is answered as it is (200). Linked to another member: 409, unless `replace`, which moves the number to
 * this member in the same single write (a lost card given to someone else). Newly linked or moved: 201.
 * The 409 does not name the other member: a caller that may read members looks the number up instead.
 * A closed program, or an erased member, links no new cards (409 `invalid_state`); unlinking a lost card stays
 * possible.
 */
export async function linkCard(
  deps: Pick<Deps, "writer" | "clock">,
  access: MemberAccess,
  input: { number: string; replace: boolean },
): Promise<{ status: 200 | 201; card: Card }> {
  ensureOpen(access.program);
  ensureNotErased(access.member);
  const number = normaliseCardNumber(input.number);
  const programId = access.program.id;
  const rows = await writeUnlessErased(
    deps.writer,
    access.member.id,
    linkCardStatements({ programId, number, memberId: access.member.id, linkedAt: deps.clock.now() }, input.replace),
  );
  const { wrote, holder } = linkOutcome(rows);
  if (!holder) throw new Error(`card ${number} of ${programId} was neither linked nor found`);
  if (holder.memberId !== access.member.id)
    throw new ApiError(
      "conflict",
      `Card ${number} is linked to another member of program ${programId}. Send "replace": true to move it to ` +
        `${access.member.externalId}, or look its member up with GET /v1/programs/${programId}/cards/${number}.`,
    );
  return { status: wrote ? 201 : 200, card: holder };
}

/** Unlinks a card from the member (a lost card); 404 when the member does not hold the number. */
export async function unlinkCard(deps: Pick<Deps, "writer">, access: MemberAccess, input: string): Promise<Card> {
  const number = normaliseCardNumber(input);
  const removed = unlinkedCard(
    await deps.writer.write([unlinkCardStatement(access.program.id, number, access.member.id)]),
  );
  if (!removed) throw new ApiError("not_found", `No card ${number} linked to member ${access.member.externalId}.`);
  return removed;
}
