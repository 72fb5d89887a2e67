import type { CampaignSegment } from "../../db/queries/campaigns";
import type { CampaignRow } from "./owned";

/** A campaign with the segments (marketing lists) it targets, in the order they were given. */
export type Campaign = CampaignRow & { segments: CampaignSegment[] };

/** A campaign as the API answers it (API-programs.md "Promotions and campaigns"): snake_case, nulls where unset. */
export function presentCampaign(campaign: Campaign) {
  const at = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: campaign.id,
    program_id: campaign.programId,
    name: campaign.name,
    type: campaign.type,
    owner: campaign.owner,
    status: campaign.status,
    planned_start: at(campaign.plannedStart),
    planned_end: at(campaign.plannedEnd),
    actual_start: at(campaign.actualStart),
    actual_end: at(campaign.actualEnd),
    expected_response_pct: campaign.expectedResponsePct,
    estimated_revenue_minor: campaign.estimatedRevenueMinor,
    segments: campaign.segments.map((segment) => ({
      id: segment.id,
      name: segment.name,
      member_count: segment.memberCount,
    })),
    segment_ids: campaign.segments.map((segment) => segment.id),
    notes: campaign.notes,
    created_at: campaign.createdAt.toISOString(),
    updated_at: campaign.updatedAt.toISOString(),
  };
}

export type CampaignView = ReturnType<typeof presentCampaign>;
