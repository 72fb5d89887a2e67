import type { AdhocDataset } from "./adhoc-run";

/**
 * The `members` dataset of ad-hoc reports: the program's members as they are now (tier, locale, balance, RFM
 * segment), a row each, at their enrolment (`created_at`). The available points account has the member's id.
 */
export const membersDataset = {
  from: "members m left join accounts a on a.id = m.id left join member_rfm x on x.member_id = m.id",
  program: "m.program_id",
  time: "m.created_at",
  dimensions: {
    tier: "m.tier_key",
    locale: "m.locale",
    rfm_segment: "x.segment",
    enrolled_day: { bucket: "day" },
    enrolled_week: { bucket: "week" },
    enrolled_month: { bucket: "month" },
  },
  measures: {
    count: "count(*)",
    balance: "coalesce(sum(a.balance), 0)",
    lifetime_earned: "coalesce(sum(m.lifetime_earned), 0)",
  },
  filters: {},
} as const satisfies AdhocDataset;
