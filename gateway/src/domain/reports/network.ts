import { type ConversionFlowRow, sumConversionFlows, sumSettlementFlows } from "../../db/queries/report-network";
import type { Deps } from "../../deps";
import { formatMinor } from "../settlement/money";
import { reportRange } from "./range";

/** What one partner owes another for one settlement period, in one currency. */
export type SettlementFlowRow = {
  period_id: string;
  period_start: string;
  period_end: string;
  payer_partner_id: string;
  payer_name: string;
  payee_partner_id: string;
  payee_name: string;
  currency: string;
  amount: string;
  amount_minor: number;
  lines: number;
};

export type { ConversionFlowRow };

/** The operator's view of the network over UTC dates `from`..`to`: points between programs, money between partners. */
export type NetworkReport = {
  timezone: "UTC";
  from: string;
  to: string;
  totals: { conversions: number; from_points: number; to_points: number; fee_points: number };
  conversions: ConversionFlowRow[];
  settlements: SettlementFlowRow[];
};

/** The tables of the report, each downloadable as CSV with these columns (the JSON names, in order). */
export const networkTables = {
  conversions: [
    "from_program_id",
    "from_program_name",
    "from_partner_id",
    "to_program_id",
    "to_program_name",
    "to_partner_id",
    "conversions",
    "from_points",
    "to_points",
    "fee_points",
  ],
  settlements: [
    "period_id",
    "period_start",
    "period_end",
    "payer_partner_id",
    "payer_name",
    "payee_partner_id",
    "payee_name",
    "currency",
    "amount",
    "amount_minor",
    "lines",
  ],
} as const satisfies {
  conversions: readonly (keyof ConversionFlowRow)[];
  settlements: readonly (keyof SettlementFlowRow)[];
};

/**
 * The network report over UTC dates `from`..`to` (the network has no one zone; default: the last 30 days), for the
 * operator: the conversions completed in the range per ordered program pair (most points first), and the money each
 * partner owes another per settlement period overlapping the range, from the issued statements (amounts as they
 * were rounded there: each line once, half to even).
 */
export async function networkReport(
  deps: Pick<Deps, "reader" | "clock">,
  query: { from?: string; to?: string },
): Promise<NetworkReport> {
  const range = reportRange(query, "UTC", deps.clock.now());
  const [conversions, settlements] = await Promise.all([
    sumConversionFlows(deps.reader, range),
    sumSettlementFlows(deps.reader, range),
  ]);
  const sum = (pick: (flow: ConversionFlowRow) => number) => conversions.reduce((total, flow) => total + pick(flow), 0);
  return {
    timezone: "UTC",
    from: range.from,
    to: range.to,
    totals: {
      conversions: sum((flow) => flow.conversions),
      from_points: sum((flow) => flow.from_points),
      to_points: sum((flow) => flow.to_points),
      fee_points: sum((flow) => flow.fee_points),
    },
    conversions,
    settlements: settlements.map((flow) => ({
      period_id: flow.periodId,
      period_start: flow.periodStart.toISOString(),
      period_end: flow.periodEnd.toISOString(),
      payer_partner_id: flow.payerPartnerId,
      payer_name: flow.payerName,
      payee_partner_id: flow.payeePartnerId,
      payee_name: flow.payeeName,
      currency: flow.currency,
      amount: formatMinor(flow.amountMinor, flow.currency),
      amount_minor: flow.amountMinor,
      lines: flow.lines,
    })),
  };
}
