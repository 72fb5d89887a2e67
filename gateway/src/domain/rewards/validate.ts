import { findPartnersWithAgreement } from "../../db/queries/promotions";
import type { Deps } from "../../deps";
import type { FieldError } from "../../errors";
import type { Program } from "../programs";
import { tierTableOf } from "../tiers/table-read";
import type { Reward } from "./reward";

/** A reward's fields as it is written: everything but its id, program and times. */
export type RewardInput = Omit<Reward, "id" | "programId" | "createdAt" | "updatedAt">;
/** The fields a PATCH (or an import's row for a known sku) changes; null clears an optional one. */
export type RewardPatch = Partial<RewardInput>;

/**
 * What the checks of rewards read of their program once (an import checks 5,000 rows against one read): its tier
 * keys (undefined while it has no tiers) and which of the named partners have an agreement in it.
 */
export type CatalogueFacts = { program: Program; tierKeys: ReadonlySet<string> | undefined; partners: Set<string> };

export async function catalogueFacts(
  deps: Pick<Deps, "db" | "reader">,
  program: Program,
  partnerIds: readonly (string | null | undefined)[],
): Promise<CatalogueFacts> {
  const named = [...new Set(partnerIds.filter((id): id is string => typeof id === "string"))];
  const [table, partners] = await Promise.all([
    tierTableOf(deps.reader, program.id),
    findPartnersWithAgreement(deps.db, program.id, named),
  ]);
  return { program, tierKeys: table ? new Set(table.tiers.map((tier) => tier.key)) : undefined, partners };
}

/**
 * Every problem of a reward as it will be, each at its JSON path: its tiers among the program's (each once), its
 * fulfilling partner one with an agreement in the program (its redemptions are that partner's burns on
 * statements), its availability ending after it starts, and no stock for a `code` reward (its codes are its stock).
 * Tiers and the partner are checked only when `changed` has them, so a PATCH of the price is not refused over a
 * tier the program has since dropped. Ranges of single values are the request schema's.
 */
export function rewardProblems(
  facts: CatalogueFacts,
  reward: RewardInput,
  changed: Pick<RewardPatch, "tiers" | "fulfillingPartnerId">,
): FieldError[] {
  const problems: FieldError[] = [];
  const { program, tierKeys } = facts;
  if (changed.tiers)
    changed.tiers.forEach((key, i) => {
      if (!tierKeys?.has(key))
        problems.push({
          path: `tiers[${i}]`,
          message: tierKeys
            ? `${key} is not a tier of ${program.id} (its tiers: ${[...tierKeys].join(", ")})`
            : `${key} is not a tier: ${program.id} has no tiers`,
        });
      else if (changed.tiers?.indexOf(key) !== i) problems.push({ path: `tiers[${i}]`, message: `repeats ${key}` });
    });
  const partnerId = changed.fulfillingPartnerId;
  if (partnerId && !facts.partners.has(partnerId))
    problems.push({
      path: "fulfilling_partner_id",
      message: `${partnerId} is not a partner with an agreement in ${program.id}`,
    });
  const { availableFrom: from, availableUntil: until } = reward;
  if (from && until && until.getTime() <= from.getTime())
    problems.push({ path: "available_until", message: `must be after available_from (${from.toISOString()})` });
  if (reward.fulfilment === "code" && reward.stock !== null)
    problems.push({
      path: "stock",
      message: "must be null for a code reward: its stock is its available codes (POST /v1/rewards/{id}/codes)",
    });
  return problems;
}
