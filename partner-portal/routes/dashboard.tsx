import { partnerDashboard } from "../../gateway/src/domain/kpis";
import { createPortalRouter, partnerOf, requireRole } from "../context";
import { DashboardPage } from "../pages/dashboard";
import { renderPage } from "../render";

/** The partner's dashboard: every role reads it. */
export const dashboardRoutes = createPortalRouter().get(
  "/dashboard",
  requireRole("admin", "finance", "viewer"),
  async (c) => renderPage(c, <DashboardPage programs={await partnerDashboard(c.var.deps, partnerOf(c))} />),
);
