import type { Context } from "hono";
import type { Program } from "../../gateway/src/domain/programs";
import { drilldownPage, reportBreakdowns } from "../../gateway/src/domain/reports/drilldown";
import { ownedReportProgram, ownedReportPrograms } from "../../gateway/src/domain/reports/owned-program";
import { localDayOf, rangeOf } from "../../gateway/src/domain/reports/range";
import { readRfm } from "../../gateway/src/domain/rfm/view";
import { ApiError } from "../../gateway/src/errors";
import { createPortalRouter, type PortalEnv, partnerOf, requireRole } from "../context";
import { type ReportChartName, ReportsPage, type ReportsView, reportCharts } from "../pages/reports";
import { DrilldownPage } from "../pages/reports-drilldown";
import { renderPage } from "../render";
import { reportCsvFile } from "./reports-csv";
import { kpisOf, kpiView, promotionBars, promotionsOf, tierMix, tiersOf } from "./reports-data";
import { drilldownQuery, drilldownView } from "./reports-drilldown";
import { type ResolvedRange, resolveReportRange } from "./reports-range";

/** The range a request asks for, in the program's zone (today is the program's local day). */
function resolvedRange(c: Context<PortalEnv>, program: Program): { resolved: ResolvedRange; today: string } {
  const today = localDayOf(c.var.deps.clock.now(), program.timezone);
  const resolved = resolveReportRange(
    {
      from: c.req.query("from"),
      to: c.req.query("to"),
      interval: c.req.query("interval"),
      preset: c.req.query("preset"),
    },
    today,
  );
  return { resolved, today };
}

/**
 * The reports of the programs a partner owns, which every role reads (`?program=&from=&to=&interval=` or
 * `?program=&preset=`, by default the first program's last 30 days); finance and admin download each chart's CSV.
 * A bar's transactions are at `/portal/reports/{program}/transactions`. A program the partner does not own answers
 * 404, even with an agreement in it.
 */
export const reportRoutes = createPortalRouter()
  .get("/reports", requireRole("admin", "finance", "viewer"), async (c) => {
    const { deps } = c.var;
    const partnerId = partnerOf(c);
    const programs = await ownedReportPrograms(deps, partnerId);
    const chosen = c.req.query("program") || programs[0]?.id;
    if (!chosen) return renderPage(c, <ReportsPage view={null} />);
    const program = await ownedReportProgram(deps, partnerId, chosen);
    const { resolved, today } = resolvedRange(c, program);
    const { range } = resolved;
    const local = rangeOf(range.from, range.to, program.timezone);
    const [kpis, breakdowns, promotions, tiers, rfm] = await Promise.all([
      kpisOf(deps, program, range),
      reportBreakdowns(deps, program, local),
      promotionsOf(deps, partnerId, program, range),
      tiersOf(deps, partnerId, program, range),
      readRfm(deps, { partnerId }, program.id),
    ]);
    const view: ReportsView = {
      programs: programs.map(({ id, name }) => ({ id, name })),
      program: { id: program.id, name: program.name, timezone: program.timezone },
      resolved,
      today,
      kpis: kpiView(kpis),
      breakdowns,
      promotions: promotionBars(promotions),
      tiers: tierMix(tiers),
      rfm,
    };
    return renderPage(c, <ReportsPage view={view} />, resolved.problems.length > 0 ? 400 : 200);
  })
  .get("/reports/:program{prg_[0-9a-z]+}/transactions", requireRole("admin", "finance", "viewer"), async (c) => {
    const { deps } = c.var;
    const program = await ownedReportProgram(deps, partnerOf(c), c.req.param("program"));
    const { request, page, back } = drilldownQuery(c, program);
    const found = await drilldownPage(deps, program, request, page);
    return renderPage(c, <DrilldownPage view={await drilldownView(deps, program, request, page, found, back)} />);
  })
  .get("/reports/:program{prg_[0-9a-z]+}/:file{[a-z]+\\.csv}", requireRole("admin", "finance"), async (c) => {
    const { deps } = c.var;
    const partnerId = partnerOf(c);
    const chart = c.req.param("file").slice(0, -4);
    if (!(reportCharts as readonly string[]).includes(chart))
      throw new ApiError("not_found", `No report chart ${chart}.`);
    const program = await ownedReportProgram(deps, partnerId, c.req.param("program"));
    const { resolved } = resolvedRange(c, program);
    if (resolved.problems.length > 0)
      throw new ApiError("validation_failed", "Bad report range.", {
        errors: resolved.problems.map((problem) => ({ path: problem.field, message: problem.problem })),
      });
    const file = await reportCsvFile(deps, partnerId, program, chart as ReportChartName, resolved.range);
    return c.body(file.body, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.name}"`,
    });
  });
