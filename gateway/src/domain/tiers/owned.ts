import { listOwnedPrograms } from "../../db/queries/kpis";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { memberAccess } from "../access";
import { type MemberTierView, memberTiers } from "./member-tier";
import { readTierTable, type TierTableView } from "./table";

/**
 * What the partner portal shows a program's owner of its tiers: the tier tables of the programs it owns and one
 * member's tier. Unlike the API's GET (readTierTable), a partner that only has an agreement in a program sees
 * nothing of it here (404): the portal's Tiers pages are the owner's.
 */

/** The tier tables of every program `partnerId` owns, oldest program first. */
export async function ownedTierTables(deps: Pick<Deps, "db" | "reader">, partnerId: string): Promise<TierTableView[]> {
  const owned = await listOwnedPrograms(deps.reader, partnerId);
  return Promise.all(owned.map((program) => readTierTable(deps, { partnerId }, program.id)));
}

/** One program's tier table for its owner; 404 for every other partner, with an agreement or without. */
export async function ownedTierTable(
  deps: Pick<Deps, "db" | "reader">,
  partnerId: string,
  programId: string,
): Promise<TierTableView> {
  const table = await readTierTable(deps, { partnerId }, programId);
  if (table.program.partnerId !== partnerId) throw new ApiError("not_found", `No program ${programId}.`);
  return table;
}

/**
 * The tier and progress of a member of a program its caller owns (`table`, as ownedTierTable answered it): null
 * while the program has no tiers; 404 for an unknown member.
 */
export async function ownedMemberTier(
  deps: Pick<Deps, "reader" | "clock">,
  table: TierTableView,
  externalId: string,
): Promise<MemberTierView | null> {
  const { program } = table;
  const now = deps.clock.now();
  // The owner always holds an agreement in its program (createProgram writes it), so it finds the member.
  const access = await memberAccess(deps.reader, program.id, externalId, program.partnerId, now);
  return (await memberTiers(deps.reader, access.program, [access.member], now)).get(access.member.id) ?? null;
}
