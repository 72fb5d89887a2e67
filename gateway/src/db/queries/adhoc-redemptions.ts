import { redemptions } from "../schema";
import { type AdhocDataset, timeDimensions } from "./adhoc-run";

/**
 * The `redemptions` dataset of ad-hoc reports: the program's catalogue orders, a row each, at their placing
 * (`created_at`), in the status they have now. `points` is what the order cost (price times quantity).
 */
export const redemptionsDataset = {
  from: "redemptions r join members m on m.id = r.member_id",
  program: "r.program_id",
  time: "r.created_at",
  dimensions: {
    reward_id: "r.reward_id",
    status: "r.status",
    partner_id: "r.partner_id",
    fulfilling_partner_id: "r.fulfilling_partner_id",
    tier: "m.tier_key",
    ...timeDimensions,
  },
  measures: {
    count: "count(*)",
    quantity: "coalesce(sum(r.quantity), 0)",
    points: "coalesce(sum(r.points), 0)",
    members: "count(distinct r.member_id)",
  },
  filters: {
    reward_id: { sql: "r.reward_id", kind: "string" },
    status: { sql: "r.status", kind: redemptions.status.enumValues },
    partner_id: { sql: "r.partner_id", kind: "string" },
    fulfilling_partner_id: { sql: "r.fulfilling_partner_id", kind: "string" },
    quantity: { sql: "r.quantity", kind: "number" },
    points: { sql: "r.points", kind: "number" },
  },
} as const satisfies AdhocDataset;
