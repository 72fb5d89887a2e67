import { ledgerTransactions } from "../schema";
import { type AdhocDataset, timeDimensions } from "./adhoc-run";

/**
 * The `transactions` dataset of ad-hoc reports: the program's journal, a row per movement (earn, burn, reversal,
 * bonus, expiry, conversion and transfer legs, holds and releases, adjustments) as recorded, at its `created_at`.
 * Points are as recorded, always positive: a figure across types means something only grouped or filtered by type.
 */
export const transactionsDataset = {
  from: "ledger_transactions t join members m on m.id = t.member_id",
  program: "t.program_id",
  time: "t.created_at",
  dimensions: {
    type: "t.type",
    channel: "t.channel",
    store_id: "t.store_id",
    partner_id: "t.partner_id",
    purchase_currency: "t.purchase_currency",
    tier: "m.tier_key",
    ...timeDimensions,
  },
  measures: {
    count: "count(*)",
    points: "coalesce(sum(t.points), 0)",
    members: "count(distinct t.member_id)",
    purchase_amount_minor: "coalesce(sum(t.purchase_amount_minor), 0)",
  },
  filters: {
    type: { sql: "t.type", kind: ledgerTransactions.type.enumValues },
    channel: { sql: "t.channel", kind: "string" },
    store_id: { sql: "t.store_id", kind: "string" },
    partner_id: { sql: "t.partner_id", kind: "string" },
    points: { sql: "t.points", kind: "number" },
    purchase_amount_minor: { sql: "t.purchase_amount_minor", kind: "number" },
    purchase_currency: { sql: "t.purchase_currency", kind: "string" },
  },
} as const satisfies AdhocDataset;
