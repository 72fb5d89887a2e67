import { partnerDashboard, resolveRange } from "../../gateway/src/domain/kpis";
import { createPortalRouter, partnerOf, requireRole } from "../context";
import { DashboardPage } from "../pages/dashboard";
import { renderPage } from "../render";

/**
 * The partner's dashboard: every role reads it. The range comes from the query (`?days=7|30|90`, or
 * `?start=YYYY-MM-DD&end=YYYY-MM-DD`), so every view has a URL; a range that cannot be used answers 400 with
 * what is wrong, the typed values, and the default range's figures.
 */
export const dashboardRoutes = createPortalRouter().get(
  "/dashboard",
  requireRole("admin", "finance", "viewer"),
  async (c) => {
    const query = { days: c.req.query("days"), start: c.req.query("start"), end: c.req.query("end") };
    const { range, preset, problems } = resolveRange(query, c.var.deps.clock.now());
    const dashboard = await partnerDashboard(c.var.deps, partnerOf(c), range);
    const typed = { start: query.start ?? "", end: query.end ?? "" };
    return renderPage(
      c,
      <DashboardPage dashboard={dashboard} form={{ preset, problems, typed }} />,
      problems.length > 0 ? 400 : 200,
    );
  },
);
