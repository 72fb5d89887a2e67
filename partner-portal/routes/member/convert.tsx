import { findConversionDetails } from "../../../gateway/src/db/queries/conversions";
import { findQuoteToExecute } from "../../../gateway/src/db/queries/quotes";
import { destinationsWithLimits } from "../../../gateway/src/domain/conversions/destinations";
import { executeQuote } from "../../../gateway/src/domain/conversions/execute";
import { createQuote } from "../../../gateway/src/domain/conversions/quote";
import type { MemberSession } from "../../../gateway/src/domain/member-sessions";
import { findProgram } from "../../../gateway/src/domain/programs";
import { ApiError } from "../../../gateway/src/errors";
import { createPortalRouter } from "../../context";
import { formFields } from "../../form";
import {
  type MemberDestination,
  type MemberForm,
  MemberQuotePage,
  type MemberQuoteView,
  MemberReceiptPage,
} from "../../pages/member/convert";
import { problemMessage } from "../../problems";
import { renderPage } from "../../render";
import { homePage } from "./home";
import { type MemberContext, openSession, type Status, shell, statusOf } from "./session";

/** This member's quote out of this program, or 404: a token opens nobody else's quotes. */
async function memberQuote(c: MemberContext, session: MemberSession, quoteId: string) {
  const found = await findQuoteToExecute(c.var.deps.reader, quoteId, session.partnerId);
  if (found?.quote.fromProgramId !== session.programId || found.sides.fromExternalId !== session.externalId)
    throw new ApiError("not_found", `No quote ${quoteId}.`);
  return found;
}

type FoundQuote = Awaited<ReturnType<typeof memberQuote>>;

/** An expired quote: the first page again, its destination's form holding the quote's number and amount. */
function expiredQuote(c: MemberContext, session: MemberSession, found: FoundQuote, status: Status) {
  const form: MemberForm = {
    programId: found.quote.toProgramId,
    values: { to_external_id: found.sides.toExternalId, from_points: String(found.quote.fromPoints) },
    errors: {},
  };
  return homePage(c, session, { form, alert: { kind: "error", text: c.var.i18n.t("member.quoteExpired") } }, status);
}

/** The quote page, or the receipt of the conversion that used the quote, or the expired state. */
async function quotePage(
  c: MemberContext,
  session: MemberSession,
  found: FoundQuote,
  failure?: { text: string; status: Status },
) {
  const token = c.req.param("token") ?? "";
  if (found.usedByConversionId)
    return c.redirect(`/portal/member/${token}/conversions/${found.usedByConversionId}`, 303);
  const { props, now } = await shell(c, session);
  const { quote } = found;
  const secondsLeft = Math.floor((quote.expiresAt.getTime() - now.getTime()) / 1000);
  if (secondsLeft <= 0) return expiredQuote(c, session, found, 200);
  const view: MemberQuoteView = {
    id: quote.id,
    destination: (await findProgram(c.var.deps.db, quote.toProgramId)).name,
    toExternalId: found.sides.toExternalId,
    fromPoints: quote.fromPoints,
    feePoints: quote.feePoints,
    toPoints: quote.toPoints,
    expiresAt: quote.expiresAt,
    ttlSeconds: Math.round((quote.expiresAt.getTime() - quote.createdAt.getTime()) / 1000),
    secondsLeft,
  };
  const alert = failure && { kind: "error" as const, text: failure.text };
  return renderPage(
    c,
    <MemberQuotePage {...props} csrf={session.csrfToken} quote={view} alert={alert} />,
    failure?.status ?? 200,
  );
}

/**
 * The member's typed values checked against the destination's limits before a quote is asked for, so each
 * problem is worded in the member's language next to its field; the quote's own checks stay the authority.
 */
function checkForm(c: MemberContext, destination: MemberDestination, values: MemberForm["values"]) {
  const { t, number } = c.var.i18n;
  const { min, step, max } = destination.limits;
  const errors: MemberForm["errors"] = {};
  if (!values.to_external_id) errors.to_external_id = t("member.error.number", { program: destination.name });
  const points = Number(values.from_points);
  if (!Number.isInteger(points) || points < min || points > max || points % step !== 0)
    errors.from_points = t("member.error.amount", { min: number(min), max: number(max), step: number(step) });
  return errors;
}

/**
 * A refused quote, worded for the member: next to the field at fault for the problems a member can fix there,
 * else above the forms, as the problem's message in the page's language (problems.ts); the typed values stay.
 */
function quoteProblem(
  c: MemberContext,
  error: ApiError,
  destination: MemberDestination,
  typed: { number: string; available: number },
): { errors: MemberForm["errors"]; alert?: string } {
  const { i18n } = c.var;
  const { t, number } = i18n;
  const program = destination.name;
  switch (error.code) {
    case "not_found":
      // The rate was in force a moment ago, so what is missing is the member number typed.
      return { errors: { to_external_id: t("member.error.unknownNumber", { program, id: typed.number }) } };
    case "insufficient_points":
      return { errors: { from_points: t("member.error.balance", { available: number(typed.available) }) } };
    case "validation_failed":
      return { errors: { from_points: t("member.error.tooFew", { program }) } };
    default:
      return {
        errors: {},
        // What a member can do about the rest: another destination, or wait (a limit names its wait).
        alert: problemMessage(i18n, error, {
          forbidden: "member.error.unavailable",
          invalid_state: "member.error.unavailable",
          conflict: "member.error.unavailable",
          conversion_limit_exceeded: "member.failed.velocity",
        }),
      };
  }
}

/**
 * Why confirming a quote failed, in the member's words; nothing moved in any of these cases. A refusal of the
 * destination (4xx) says the program did not accept it; a wait or a failure on our side (429, 5xx) is the
 * problem's message in the page's language, naming the wait when there is one.
 */
function confirmProblem(c: MemberContext, error: ApiError, destination: string, available: number) {
  const { i18n } = c.var;
  const { t, number } = i18n;
  const text = {
    insufficient_points: () => t("member.failed.balance", { available: number(available) }),
    conflict: () => t("member.failed.today", { program: destination }),
    conversion_limit_exceeded: () => t("member.failed.velocity"),
    service_unavailable: () => t("member.failed.unavailable"),
  }[error.code as string];
  const otherwise = () =>
    error.status === 429 || error.status >= 500
      ? problemMessage(i18n, error)
      : t("member.failed.other", { program: destination });
  return { text: text?.() ?? otherwise(), status: statusOf(error) };
}

export const conversionRoutes = createPortalRouter()
  .post("/member/:token/quote", async (c) => {
    const form = await formFields(c);
    const session = await openSession(c, form);
    const { deps, i18n } = c.var;
    const { access, now } = await shell(c, session);
    const destinations = await destinationsWithLimits(
      deps,
      { programId: session.programId, memberId: access.member.id, available: access.available },
      now,
    );
    const destination = destinations.find((d) => d.programId === form.to_program_id);
    if (!destination)
      return homePage(c, session, { alert: { kind: "error", text: i18n.t("member.error.unavailable") } }, 400);
    const values = { to_external_id: (form.to_external_id ?? "").trim(), from_points: (form.from_points ?? "").trim() };
    const errors = checkForm(c, destination, values);
    if (Object.keys(errors).length > 0)
      return homePage(c, session, { form: { programId: destination.programId, values, errors } }, 400);
    try {
      const quote = await createQuote(deps, {
        partnerId: session.partnerId,
        fromProgramId: session.programId,
        fromExternalId: session.externalId,
        toProgramId: destination.programId,
        toExternalId: values.to_external_id,
        fromPoints: Number(values.from_points),
      });
      return c.redirect(`/portal/member/${c.req.param("token")}/quotes/${quote.id}`, 303);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const typed = { number: values.to_external_id, available: access.available };
      const { errors: problem, alert } = quoteProblem(c, error, destination, typed);
      const form = { programId: destination.programId, values, errors: problem };
      if (!alert) return homePage(c, session, { form }, 400);
      return homePage(c, session, { form, alert: { kind: "error", text: alert } }, statusOf(error));
    }
  })
  .get("/member/:token/quotes/:quote", async (c) => {
    const session = await openSession(c);
    return quotePage(c, session, await memberQuote(c, session, c.req.param("quote")));
  })
  .post("/member/:token/confirm", async (c) => {
    const form = await formFields(c);
    const session = await openSession(c, form);
    const { deps } = c.var;
    const found = await memberQuote(c, session, form.quote_id ?? "");
    if (found.usedByConversionId) return quotePage(c, session, found);
    if (found.quote.expiresAt <= deps.clock.now()) return expiredQuote(c, session, found, 409);
    try {
      const result = await executeQuote(deps, { partnerId: session.partnerId, quoteId: found.quote.id });
      const { id } = JSON.parse(result.body) as { id: string };
      return c.redirect(`/portal/member/${c.req.param("token")}/conversions/${id}`, 303);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === "quote_expired") return expiredQuote(c, session, found, 409);
      // Another tab may have confirmed it meanwhile: then its receipt is the answer.
      const again = await memberQuote(c, session, found.quote.id);
      if (again.usedByConversionId) return quotePage(c, session, again);
      const { access } = await shell(c, session);
      const destination = (await findProgram(deps.db, found.quote.toProgramId)).name;
      return quotePage(c, session, found, confirmProblem(c, error, destination, access.available));
    }
  })
  .get("/member/:token/conversions/:conversion", async (c) => {
    const session = await openSession(c);
    const { deps } = c.var;
    const id = c.req.param("conversion");
    const found = await findConversionDetails(deps.reader, id);
    // A token shows only its own member's conversions out of its program.
    if (found?.conversion.fromProgramId !== session.programId || found.sides.fromExternalId !== session.externalId)
      throw new ApiError("not_found", `No conversion ${id}.`);
    const { props } = await shell(c, session);
    const { conversion } = found;
    const view = {
      id: conversion.id,
      status: conversion.status,
      destination: (await findProgram(deps.db, conversion.toProgramId)).name,
      toExternalId: found.sides.toExternalId,
      fromPoints: conversion.fromPoints,
      feePoints: conversion.feePoints,
      toPoints: conversion.toPoints,
      createdAt: conversion.createdAt,
    };
    return renderPage(c, <MemberReceiptPage {...props} conversion={view} />);
  });
