import type { Context } from "hono";
import { findQuoteToExecute } from "../../gateway/src/db/queries/quotes";
import { memberAccess } from "../../gateway/src/domain/access";
import { conversionDestinations } from "../../gateway/src/domain/conversions/destinations";
import { executeQuote } from "../../gateway/src/domain/conversions/execute";
import { createQuote } from "../../gateway/src/domain/conversions/quote";
import { findMemberSession, type MemberSession } from "../../gateway/src/domain/member-sessions";
import { ApiError } from "../../gateway/src/errors";
import { createPortalRouter, type PortalEnv } from "../context";
import { type FormFields, formFields } from "../form";
import { MemberPage, type MemberQuote } from "../pages/member";
import { renderPage } from "../render";
import { csrfValid } from "../session";

type Extra = { quote?: MemberQuote; result?: { kind: "ok" | "error"; text: string } };

/** Renders the page for an open session: balance, destinations, and whatever the last step produced. */
async function page(
  c: Context<PortalEnv>,
  session: MemberSession,
  token: string,
  extra: Extra = {},
  status: 200 | 201 | 202 | 400 | 409 = 200,
) {
  const { deps } = c.var;
  const now = deps.clock.now();
  const access = await memberAccess(deps.reader, session.programId, session.externalId, session.partnerId, now, "burn");
  const destinations = await conversionDestinations(deps.reader, session.programId, now);
  const { quote, result } = extra;
  const destination = quote && destinations.find((d) => d.programId === quote.to_program_id);
  return renderPage(
    c,
    <MemberPage
      token={token}
      csrf={session.csrfToken}
      programName={access.program.name}
      externalId={session.externalId}
      available={access.available}
      pending={access.pending}
      destinations={destinations}
      quote={quote && { ...quote, destination: destination?.name ?? "" }}
      result={result}
    />,
    status,
  );
}

/** The session of the URL's token, its form checked against the session's CSRF token. */
async function openSession(c: Context<PortalEnv>, form?: FormFields) {
  const session = await findMemberSession(c.var.deps, c.req.param("token") ?? "");
  if (!session) throw new ApiError("not_found", c.var.i18n.t("member.expired"));
  if (form && !csrfValid(c, form._csrf, session.csrfToken))
    throw new ApiError("forbidden", c.var.i18n.t("csrf.invalid"));
  return session;
}

const errorText = (error: unknown) => (error instanceof ApiError ? error.detail : undefined);

export const memberRoutes = createPortalRouter()
  .get("/member/:token", async (c) => page(c, await openSession(c), c.req.param("token")))
  .post("/member/:token/quote", async (c) => {
    const form = await formFields(c);
    const session = await openSession(c, form);
    const token = c.req.param("token");
    try {
      const quote = await createQuote(c.var.deps, {
        partnerId: session.partnerId,
        fromProgramId: session.programId,
        fromExternalId: session.externalId,
        toProgramId: form.to_program_id ?? "",
        toExternalId: (form.to_external_id ?? "").trim(),
        fromPoints: Number(form.from_points),
      });
      return page(c, session, token, { quote }, 201);
    } catch (error) {
      const text = errorText(error);
      if (!text) throw error;
      return page(c, session, token, { result: { kind: "error", text } }, 400);
    }
  })
  .post("/member/:token/confirm", async (c) => {
    const form = await formFields(c);
    const session = await openSession(c, form);
    const token = c.req.param("token");
    const { deps, i18n } = c.var;
    // Only a quote made for this member and program can be confirmed here.
    const found = await findQuoteToExecute(deps.reader, form.quote_id ?? "", session.partnerId);
    if (found?.quote.fromProgramId !== session.programId || found.sides.fromExternalId !== session.externalId)
      throw new ApiError("not_found", `No quote ${form.quote_id ?? ""}.`);
    try {
      const result = await executeQuote(deps, { partnerId: session.partnerId, quoteId: form.quote_id ?? "" });
      const body = JSON.parse(result.body) as { status: string; to_points: number };
      const text =
        body.status === "held" ? i18n.t("member.held") : i18n.t("member.done", { points: i18n.number(body.to_points) });
      return page(c, session, token, { result: { kind: "ok", text } }, result.status === 202 ? 202 : 201);
    } catch (error) {
      const text = errorText(error);
      if (!text) throw error;
      return page(c, session, token, { result: { kind: "error", text } }, 409);
    }
  });
