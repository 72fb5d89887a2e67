import type { Deps } from "../../gateway/src/deps";
import type { Program } from "../../gateway/src/domain/programs";
import { reportCsv } from "../../gateway/src/domain/reports/csv";
import { reportBreakdowns } from "../../gateway/src/domain/reports/drilldown";
import { kpiTables } from "../../gateway/src/domain/reports/kpis";
import { promotionsTables } from "../../gateway/src/domain/reports/promotions";
import { rangeOf } from "../../gateway/src/domain/reports/range";
import { tiersTables } from "../../gateway/src/domain/reports/tiers";
import { segmentGrid } from "../../gateway/src/domain/rfm/segments";
import { readRfm } from "../../gateway/src/domain/rfm/view";
import type { ReportChartName } from "../pages/reports";
import { kpisOf, promotionsOf, tiersOf } from "./reports-data";
import type { ReportRange } from "./reports-range";

/**
 * Each chart's numbers as CSV, written as the API's reports are (domain/reports/csv.ts: BOM, CRLF, formula cells
 * neutralised), with columns named as the JSON fields, a row a bar. The KPI charts' file is the API's
 * `reports/kpis.csv` of the range (their points earned, burned and redeemed, and active members among its columns),
 * the promotions' its `reports/promotions.csv` (`points_awarded_in_range`), the tier mix's its `reports/tiers.csv`;
 * the channels' and stores' are summed as their bars are, the RFM grid's by cell.
 */
export async function reportCsvFile(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  partnerId: string,
  program: Program,
  chart: ReportChartName,
  range: ReportRange,
): Promise<{ name: string; body: string }> {
  const name = `${program.id}-${chart}-${range.from}-${range.to}.csv`;
  const local = rangeOf(range.from, range.to, program.timezone);
  switch (chart) {
    case "kpis": {
      const report = await kpisOf(deps, program, range);
      return { name, body: reportCsv(kpiTables.series, report.series) };
    }
    case "promotions": {
      const report = await promotionsOf(deps, partnerId, program, range);
      return { name, body: reportCsv(promotionsTables.promotions, report.promotions) };
    }
    case "channels":
    case "stores": {
      const breakdowns = await reportBreakdowns(deps, program, local);
      const column = chart === "channels" ? "channel" : "store_id";
      const rows = breakdowns[chart].map((bar) => ({
        [column]: bar.key,
        points_earned: bar.points,
        transactions: bar.transactions,
      }));
      return { name, body: reportCsv([column, "points_earned", "transactions"], rows) };
    }
    case "tiers": {
      const report = await tiersOf(deps, partnerId, program, range);
      return { name, body: reportCsv(tiersTables.tiers, report.tiers) };
    }
    case "rfm": {
      const { grid } = await readRfm(deps, { partnerId }, program.id);
      const rows = grid.flatMap((row, r) =>
        row.map((members, f) => ({ r: r + 1, f: f + 1, segment: segmentGrid[r]?.[f] ?? null, members })),
      );
      return { name: `${program.id}-${chart}.csv`, body: reportCsv(["r", "f", "segment", "members"], rows) };
    }
  }
}
