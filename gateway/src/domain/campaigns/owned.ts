import { findCampaignById } from "../../db/queries/campaigns";
import type { campaigns } from "../../db/schema";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, managedProgram, type Program } from "../programs";

export type CampaignRow = typeof campaigns.$inferSelect;

/**
 * The campaign as the caller may manage and read it: its program's owner or the operator. Campaigns are the owner's
 * plans, so a partner with an agreement in the program gets 403 (as for segments) and any other partner 404.
 */
export async function managedCampaign(
  deps: Pick<Deps, "db">,
  caller: Caller,
  id: string,
): Promise<{ campaign: CampaignRow; program: Program }> {
  const campaign = await findCampaignById(deps.db, id);
  if (!campaign) throw new ApiError("not_found", `No campaign ${id}.`);
  try {
    return { campaign, program: await managedProgram(deps, caller, campaign.programId) };
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") throw new ApiError("not_found", `No campaign ${id}.`);
    throw error;
  }
}
