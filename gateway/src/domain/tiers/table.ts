import {
  clearMembersTiersStatement,
  countMembersPerTier,
  replaceMembersStatements,
  replaceTierTableStatements,
} from "../../db/queries/tiers";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, findProgramForPartner, managedProgram, type Program } from "../programs";
import { type Tier, windowStart } from "./qualify";
import { tierTableOf } from "./table-read";

/** A tier as the program's owner writes it; its position is its place in the list. */
export type TierInput = Omit<Tier, "programId" | "position">;

/** The tier table as the API shows it: the tiers with how many members hold each. */
export type TierTableView = {
  program: Program;
  windowDays: number | null;
  updatedAt: Date | null;
  tiers: (Tier & { memberCount: number })[];
};

/** 400 for a table the rules refuse: every problem with its path, so one answer lists them all. */
function checkTiers(tiers: readonly TierInput[]): void {
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  tiers.forEach((tier, index) => {
    const hasMinimum = tier.minPoints !== null || tier.minPurchases !== null || tier.minSpendMinor !== null;
    if (index === 0 && hasMinimum)
      errors.push({ path: "tiers[0]", message: "the first tier is the entry tier and has no minimum" });
    if (index > 0 && !hasMinimum)
      errors.push({
        path: `tiers[${index}]`,
        message: "needs at least one of min_points, min_purchases, min_spend_minor",
      });
    if (seen.has(tier.key)) errors.push({ path: `tiers[${index}].key`, message: `${tier.key} is used twice` });
    seen.add(tier.key);
  });
  if (errors.length > 0)
    throw new ApiError("validation_failed", `The tier table is not valid: ${errors[0]?.message}.`, { errors });
}

/**
 * Replaces a program's tier table (its owner or the operator) and re-places its members in the same atomic write:
 * each member moves to the tier its activity qualifies for under the new table, keeping a tier it still holds
 * (`held_until` ahead) if that tier is still in the table. History rows and `member.tier_changed` events record
 * every move; nothing is lost of the earlier history. An empty list removes the tiers. Earns planned against the
 * old table meanwhile are refused by their assertions and planned again.
 */
export async function putTierTable(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  caller: Caller,
  programId: string,
  input: { windowDays: number; tiers: TierInput[] },
): Promise<TierTableView> {
  const program = await managedProgram(deps, caller, programId);
  checkTiers(input.tiers);
  const now = deps.clock.now();
  const tiered = input.tiers.length > 0;
  await deps.writer.write([
    ...replaceTierTableStatements(program.id, tiered ? input.windowDays : null, input.tiers, now),
    ...(tiered
      ? replaceMembersStatements({
          programId: program.id,
          ownerPartnerId: program.partnerId,
          batch: deps.ids("mtc"),
          eventIdPrefix: deps.ids("evt"),
          now,
          since: windowStart(input, now),
          windowDays: input.windowDays,
          onlyHoldEnded: false,
        })
      : [clearMembersTiersStatement(program.id)]),
  ]);
  return tierTableView(deps, program);
}

/**
 * A program's tier table, for its owner and the operator, and for partners with an agreement in it (they act
 * for its members); anyone else gets 404.
 */
export async function readTierTable(
  deps: Pick<Deps, "db" | "reader">,
  caller: Caller,
  programId: string,
): Promise<TierTableView> {
  const program =
    caller.partnerId === null
      ? await managedProgram(deps, caller, programId)
      : await findProgramForPartner(deps.db, programId, caller.partnerId);
  return tierTableView(deps, program);
}

async function tierTableView(deps: Pick<Deps, "db" | "reader">, program: Program): Promise<TierTableView> {
  const [table, counts] = await Promise.all([
    tierTableOf(deps.reader, program.id),
    countMembersPerTier(deps.db, program.id),
  ]);
  return {
    program,
    windowDays: table?.windowDays ?? null,
    updatedAt: table?.updatedAt ?? null,
    tiers: (table?.tiers ?? []).map((tier) => ({ ...tier, memberCount: counts.get(tier.key) ?? 0 })),
  };
}
