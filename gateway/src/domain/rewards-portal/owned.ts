import { type KpiProgram, listOwnedPrograms } from "../../db/queries/kpis";
import type { CodePoolLevel } from "../../db/queries/reward-codes";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { findPartner } from "../partners";
import { findProgram, type Program } from "../programs";
import { type CatalogueReward, listRewards } from "../rewards/catalogue";
import { codePoolLevels } from "../rewards/codes";

/**
 * What the partner portal shows a program's owner of its catalogue: each owned program's newest rewards with their
 * stock and fulfilling partner, and the levels of its code pools. Unlike the API (which any partner with an
 * agreement reads), these pages are the owner's: every other partner sees none of it (404).
 */

/** How many of a program's newest rewards the portal lists (the API lists them all). */
export const portalRewardsLimit = 100;

/** A code pool is low at this many available codes or fewer (and empty at none). */
export const lowCodeStock = 10;

/** How full a code pool is: `empty` (no code left), `low` (lowCodeStock or fewer), or `ok`. */
export const codeStockLevel = (available: number): "empty" | "low" | "ok" =>
  available === 0 ? "empty" : available <= lowCodeStock ? "low" : "ok";

export type OwnedCatalogue = {
  program: KpiProgram;
  rewards: CatalogueReward[];
  more: boolean;
  pools: CodePoolLevel[];
  /** The names of the fulfilling partners the rewards name, by id. */
  partnerNames: Record<string, string>;
};

/** Every program `partnerId` owns, oldest first, with its newest rewards and its code pools. */
export async function ownedCatalogues(deps: Pick<Deps, "db" | "reader">, partnerId: string): Promise<OwnedCatalogue[]> {
  const caller = { partnerId };
  const owned = await listOwnedPrograms(deps.reader, partnerId);
  return Promise.all(
    owned.map(async (program) => {
      const [page, pools] = await Promise.all([
        listRewards(deps, caller, program.id, {}, { limit: portalRewardsLimit }),
        codePoolLevels(deps, caller, program.id),
      ]);
      const partnerIds = [...new Set(page.data.flatMap((reward) => reward.fulfillingPartnerId ?? []))];
      const partners = await Promise.all(partnerIds.map((id) => findPartner(deps.db, id)));
      return {
        program,
        rewards: page.data,
        more: page.has_more,
        pools,
        partnerNames: Object.fromEntries(partners.map((partner) => [partner.id, partner.name])),
      };
    }),
  );
}

/** A program `partnerId` owns; 404 for every other partner, with an agreement in it or without. */
export async function ownedProgram(deps: Pick<Deps, "db">, partnerId: string, programId: string): Promise<Program> {
  const program = await findProgram(deps.db, programId);
  if (program.partnerId !== partnerId) throw new ApiError("not_found", `No program ${programId}.`);
  return program;
}
