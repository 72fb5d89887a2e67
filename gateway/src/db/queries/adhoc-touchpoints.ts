import { touchpoints } from "../schema";
import { type AdhocDataset, timeDimensions } from "./adhoc-run";

/**
 * The `touchpoints` dataset of ad-hoc reports: the contacts recorded with the program's members, a row each, at
 * when they happened (`occurred_at`). A mean rating is over the rated contacts only.
 */
export const touchpointsDataset = {
  from: "touchpoints tp join members m on m.id = tp.member_id",
  program: "tp.program_id",
  time: "tp.occurred_at",
  dimensions: {
    channel: "tp.channel",
    reason: "tp.reason",
    direction: "tp.direction",
    agent: "tp.agent",
    recorded_by: "tp.recorded_by",
    tier: "m.tier_key",
    ...timeDimensions,
  },
  measures: {
    count: "count(*)",
    rated: "count(tp.rating)",
    mean_rating: "avg(tp.rating)",
    members: "count(distinct tp.member_id)",
  },
  filters: {
    channel: { sql: "tp.channel", kind: touchpoints.channel.enumValues },
    reason: { sql: "tp.reason", kind: touchpoints.reason.enumValues },
    direction: { sql: "tp.direction", kind: touchpoints.direction.enumValues },
    rating: { sql: "tp.rating", kind: "number" },
    agent: { sql: "tp.agent", kind: "string" },
    recorded_by: { sql: "tp.recorded_by", kind: "string" },
  },
} as const satisfies AdhocDataset;
