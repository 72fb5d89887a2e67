import type { Context } from "hono";
import { listPartnersByName } from "../../gateway/src/db/queries/partner-directory";
import { findLastPeriod, listStatementsPage } from "../../gateway/src/db/queries/settlements";
import { pendingReviewCards, reviewCard } from "../../gateway/src/domain/review-context";
import { decideReview } from "../../gateway/src/domain/reviews";
import { closePeriod, computePeriod } from "../../gateway/src/domain/settlement/close";
import { ApiError } from "../../gateway/src/errors";
import { createPortalRouter, type PortalEnv, requireRole, sessionOf } from "../context";
import { verifiedForm } from "../form";
import {
  type CloseForm,
  type Notice,
  OperatorPage,
  PeriodPreviewPage,
  PeriodResultPage,
  type StatementSummary,
} from "../pages/operator";
import { problemMessage } from "../problems";
import { renderPage } from "../render";

async function operatorPage(
  c: Context<PortalEnv>,
  options: { notice?: Notice; close?: CloseForm; status?: 200 | 400 | 409 } = {},
) {
  const { db } = c.var.deps;
  const [partnerRows, cards, last] = await Promise.all([
    listPartnersByName(db),
    pendingReviewCards(c.var.deps),
    findLastPeriod(db),
  ]);
  const close = options.close ?? { start: c.req.query("start") ?? "", end: c.req.query("end") ?? "" };
  return renderPage(
    c,
    <OperatorPage
      partners={partnerRows}
      cards={cards}
      notice={options.notice}
      close={close}
      lastClosedEnd={last?.end ?? null}
    />,
    options.status ?? 200,
  );
}

/** The confirmation of a decision, read back from the review after the redirect. */
async function decisionNotice(c: Context<PortalEnv>, reviewId: string): Promise<Notice | undefined> {
  const card = await reviewCard(c.var.deps, reviewId);
  if (!card || card.status === "pending") return undefined;
  const { t, number } = c.var.i18n;
  const text = t(`operator.${card.status}.${card.kind}`, {
    points: number(card.points),
    member: card.member.externalId,
  });
  const detail = card.decisionReason ? t("operator.reasonGiven", { reason: card.decisionReason }) : undefined;
  return { kind: "ok", text, detail };
}

const byPartner = (a: StatementSummary, b: StatementSummary) =>
  a.partner.localeCompare(b.partner) || a.currency.localeCompare(b.currency);

/** `datetime-local` values are read as UTC, as the form says. */
const utc = (value: string | undefined) => new Date(`${value ?? ""}${value && value.length === 16 ? ":00" : ""}Z`);

/**
 * Why a period cannot be closed, in the page's language: it overlaps the last closed one (also when another
 * close committed first), it has not ended, or any other problem's message (problems.ts).
 */
async function closeRefusal(c: Context<PortalEnv>, form: { start: string; end: string }, error: ApiError) {
  const { i18n } = c.var;
  const last = error.code === "conflict" ? await findLastPeriod(c.var.deps.db) : undefined;
  const text = last
    ? i18n.t("operator.overlaps", { end: i18n.dateTime(last.end) })
    : problemMessage(i18n, error, { validation_failed: "operator.endInFuture" });
  return { refused: { ...form, error: text }, status: error.status === 409 ? (409 as const) : (400 as const) };
}

/** The period a form or a query names, or why it cannot be closed, in the operator's words. */
async function periodOf(c: Context<PortalEnv>, fields: { start?: string; end?: string }) {
  const start = utc(fields.start);
  const end = utc(fields.end);
  const form = { start: fields.start ?? "", end: fields.end ?? "" };
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end)
    return { refused: { ...form, error: c.var.i18n.t("operator.badDates") }, status: 400 as const };
  try {
    return { start, end, computed: await computePeriod(c.var.deps, { start, end }) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return closeRefusal(c, form, error);
  }
}

export const operatorRoutes = createPortalRouter()
  .get("/operator", requireRole("operator"), async (c) => {
    const decided = c.req.query("decided");
    return operatorPage(c, { notice: decided ? await decisionNotice(c, decided) : undefined });
  })
  .post("/operator/reviews/:id/:decision{approve|reject}", requireRole("operator"), async (c) => {
    const body = await verifiedForm(c);
    const reviewId = c.req.param("id");
    try {
      await decideReview(c.var.deps, {
        reviewId,
        decision: c.req.param("decision") === "approve" ? "approved" : "rejected",
        decidedBy: sessionOf(c).clientId ?? "operator",
        reason: body.reason?.trim() || null,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409)
        return operatorPage(c, {
          notice: { kind: "error", text: c.var.i18n.t("operator.alreadyDecided") },
          status: 409,
        });
      throw error;
    }
    // POST, redirect, GET: a reload shows the confirmation again and decides nothing twice.
    return c.redirect(`/portal/operator?decided=${encodeURIComponent(reviewId)}`, 303);
  })
  .get("/operator/periods/preview", requireRole("operator"), async (c) => {
    const period = await periodOf(c, { start: c.req.query("start"), end: c.req.query("end") });
    if ("refused" in period) return operatorPage(c, { close: period.refused, status: period.status });
    const statements: StatementSummary[] = period.computed.statements.map((statement) => ({
      partner: statement.partner.name,
      currency: statement.currency,
      netMinor: statement.totals.net_amount_minor,
      lines: statement.lines.length,
    }));
    statements.sort(byPartner);
    return renderPage(
      c,
      <PeriodPreviewPage
        start={period.start}
        end={period.end}
        statements={statements}
        movements={period.computed.transactionIds.length}
      />,
    );
  })
  .post("/operator/periods", requireRole("operator"), async (c) => {
    const body = await verifiedForm(c);
    const period = await periodOf(c, body);
    if ("refused" in period) return operatorPage(c, { close: period.refused, status: period.status });
    try {
      const closed = await closePeriod(c.var.deps, {
        start: period.start,
        end: period.end,
        closedBy: sessionOf(c).clientId ?? "operator",
      });
      return c.redirect(`/portal/operator/periods/${closed.id}`, 303);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Another close may have committed between the preview and this one: say so as the preview would.
      const refusal = await closeRefusal(c, { start: body.start ?? "", end: body.end ?? "" }, error);
      return operatorPage(c, { close: refusal.refused, status: refusal.status });
    }
  })
  .get("/operator/periods/:id", requireRole("operator"), async (c) => {
    const { data } = await listStatementsPage(c.var.deps.db, { limit: 100 }, { periodId: c.req.param("id") });
    const period = data[0]?.period;
    if (!period) throw new ApiError("not_found", "No such closed period with statements.");
    const statements: StatementSummary[] = data
      .map(({ statement }) => {
        const document = JSON.parse(statement.document) as { partner: { name: string }; lines: unknown[] };
        return {
          partner: document.partner.name,
          currency: statement.currency,
          netMinor: statement.netAmountMinor,
          lines: document.lines.length,
        };
      })
      .sort(byPartner);
    return renderPage(c, <PeriodResultPage start={period.start} end={period.end} statements={statements} />);
  });
