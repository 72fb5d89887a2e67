import type { Context } from "hono";
import { reportTableCsv } from "../../gateway/src/domain/reports/csv";
import { networkReport, networkTables } from "../../gateway/src/domain/reports/network";
import { localDayOf } from "../../gateway/src/domain/reports/range";
import { ApiError } from "../../gateway/src/errors";
import { createPortalRouter, type PortalEnv, requireRole } from "../context";
import { NetworkPage } from "../pages/reports-network";
import { renderPage } from "../render";
import { resolveReportRange } from "./reports-range";

/** The range the network page asks for: UTC days (the network has no one zone), the reports' presets and checks. */
function networkRange(c: Context<PortalEnv>) {
  const today = localDayOf(c.var.deps.clock.now(), "UTC");
  const resolved = resolveReportRange(
    { from: c.req.query("from"), to: c.req.query("to"), preset: c.req.query("preset") },
    today,
  );
  return { resolved, today };
}

/**
 * The operator's network page, `GET /v1/reports/network`'s figures over UTC days (`?from=&to=` or `?preset=`, by
 * default the last 30 days): points between programs and money between partners, each table also as the API's CSV
 * (`/portal/operator/network/conversions.csv`, `settlements.csv`).
 */
export const networkRoutes = createPortalRouter()
  .get("/operator/network", requireRole("operator"), async (c) => {
    const { resolved, today } = networkRange(c);
    const report = await networkReport(c.var.deps, resolved.range);
    return renderPage(
      c,
      <NetworkPage report={report} resolved={resolved} today={today} />,
      resolved.problems.length > 0 ? 400 : 200,
    );
  })
  .get("/operator/network/:file{(?:conversions|settlements)\\.csv}", requireRole("operator"), async (c) => {
    const { resolved } = networkRange(c);
    if (resolved.problems.length > 0)
      throw new ApiError("validation_failed", "Bad report range.", {
        errors: resolved.problems.map((problem) => ({ path: problem.field, message: problem.problem })),
      });
    const table = c.req.param("file").slice(0, -4) as keyof typeof networkTables;
    const report = await networkReport(c.var.deps, resolved.range);
    return c.body(reportTableCsv(networkTables, report, table), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="network-${table}-${report.from}-${report.to}.csv"`,
    });
  });
