import type { PageOrder, PageQuery } from "../../db/queries/pages";
import {
  findRedemption,
  findRedemptionCodes,
  listRedemptionsPage,
  type RedemptionStatus,
  type StoredRedemption,
} from "../../db/queries/redemptions";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, findProgramForPartner } from "../programs";
import { ensureMay, type Redemption } from "./redemption";

/** The codes of a page of redemptions (only `code` rewards' orders hold any). */
async function withCodes(reader: Deps["reader"], stored: StoredRedemption[]): Promise<Redemption[]> {
  const ids = stored.filter((s) => s.reward.fulfilment === "code").map((s) => s.redemption.id);
  const codes = await findRedemptionCodes(reader, ids);
  return stored.map((s) => ({ ...s, codes: codes.get(s.redemption.id) ?? [] }));
}

/** One redemption, for the operator, the program's owner, the fulfilling partner or the partner that placed it. */
export async function getRedemption(deps: Pick<Deps, "reader">, caller: Caller, id: string): Promise<Redemption> {
  const stored = await findRedemption(deps.reader, id);
  if (!stored) throw new ApiError("not_found", `No redemption ${id}.`);
  ensureMay(caller, stored, "read");
  const [redemption] = await withCodes(deps.reader, [stored]);
  return redemption as Redemption;
}

/**
 * The fulfilment queue: the redemptions a caller may see (the operator every one; a partner those of the programs
 * it owns, those it fulfils and those it placed), by status and program. Newest first like every list, or oldest
 * first (`oldest_first`: the order to work through pending orders in). A program the partner has no agreement
 * with answers 404.
 */
export async function listRedemptions(
  deps: Pick<Deps, "db" | "reader">,
  caller: Caller,
  filter: { status?: RedemptionStatus; programId?: string },
  query: PageQuery,
  order?: PageOrder,
) {
  if (filter.programId !== undefined && caller.partnerId !== null)
    await findProgramForPartner(deps.db, filter.programId, caller.partnerId);
  const page = await listRedemptionsPage(
    deps.db,
    { ...filter, ...(caller.partnerId !== null && { visibleTo: caller.partnerId }) },
    query,
    order,
  );
  return { ...page, data: await withCodes(deps.reader, page.data) };
}

/** A member's redemptions, newest first (the caller's access to the member is checked by the route). */
export async function listMemberRedemptions(deps: Pick<Deps, "db" | "reader">, memberId: string, query: PageQuery) {
  const page = await listRedemptionsPage(deps.db, { memberId }, query);
  return { ...page, data: await withCodes(deps.reader, page.data) };
}
