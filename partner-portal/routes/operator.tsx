import type { Context } from "hono";
import { listPartnersByName } from "../../gateway/src/db/queries/partner-directory";
import { listReviewsPage } from "../../gateway/src/db/queries/reviews";
import { decideReview } from "../../gateway/src/domain/reviews";
import { closePeriod } from "../../gateway/src/domain/settlement/close";
import { ApiError } from "../../gateway/src/errors";
import { createPortalRouter, type PortalEnv, requireRole, sessionOf } from "../context";
import { verifiedForm } from "../form";
import { OperatorPage } from "../pages/operator";
import { renderPage } from "../render";

async function operatorPage(
  c: Context<PortalEnv>,
  notice?: { kind: "ok" | "error"; text: string },
  status: 200 | 400 | 409 = 200,
) {
  const { db } = c.var.deps;
  const [partnerRows, queue] = await Promise.all([
    listPartnersByName(db),
    listReviewsPage(db, { status: "pending", limit: 100 }),
  ]);
  return renderPage(c, <OperatorPage partners={partnerRows} reviews={queue.data} notice={notice} />, status);
}

/** `datetime-local` values are read as UTC, as the form says. */
const utc = (value: string | undefined) => new Date(`${value ?? ""}${value && value.length === 16 ? ":00" : ""}Z`);

export const operatorRoutes = createPortalRouter()
  .get("/operator", requireRole("operator"), (c) => operatorPage(c))
  .post("/operator/reviews/:id/:decision{approve|reject}", requireRole("operator"), async (c) => {
    const body = await verifiedForm(c);
    await decideReview(c.var.deps, {
      reviewId: c.req.param("id"),
      decision: c.req.param("decision") === "approve" ? "approved" : "rejected",
      decidedBy: sessionOf(c).clientId ?? "operator",
      reason: body.reason?.trim() || null,
    });
    return c.redirect("/portal/operator", 303);
  })
  .post("/operator/periods", requireRole("operator"), async (c) => {
    const body = await verifiedForm(c);
    const start = utc(body.start);
    const end = utc(body.end);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end)
      return operatorPage(c, { kind: "error", text: "start < end" }, 400);
    try {
      const closed = await closePeriod(c.var.deps, { start, end, closedBy: sessionOf(c).clientId ?? "operator" });
      return operatorPage(c, {
        kind: "ok",
        text: c.var.i18n.t("operator.closed", { count: closed.statements.length }),
      });
    } catch (error) {
      if (error instanceof ApiError)
        return operatorPage(c, { kind: "error", text: error.detail }, error.status === 409 ? 409 : 400);
      throw error;
    }
  });
