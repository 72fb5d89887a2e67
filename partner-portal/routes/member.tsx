import { inArray } from "drizzle-orm";
import type { Context } from "hono";
import { programs } from "../../gateway/src/db/schema";
import { memberAccess } from "../../gateway/src/domain/access";
import { executeQuote } from "../../gateway/src/domain/conversions/execute";
import { createQuote } from "../../gateway/src/domain/conversions/quote";
import { rateInForce } from "../../gateway/src/domain/conversions/rates";
import { findMemberSession, type MemberSession } from "../../gateway/src/domain/member-sessions";
import { ApiError } from "../../gateway/src/errors";
import { createPortalRouter, type PortalEnv } from "../context";
import { type FormFields, formFields } from "../form";
import { type Destination, MemberPage, type MemberQuote } from "../pages/member";
import { renderPage } from "../render";
import { csrfValid } from "../session";

type Extra = Partial<Pick<Parameters<typeof MemberPage>[0], "quote" | "result">>;

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
  const targets = await deps.reader.all<{ to_program_id: string }>(
    "select distinct to_program_id from conversion_rates where from_program_id = ?",
    [session.programId],
  );
  const rates = (
    await Promise.all(
      targets.map((row) => rateInForce(deps.reader, session.programId, row.to_program_id, now).catch(() => null)),
    )
  ).filter((rate) => rate !== null);
  const names = new Map(
    rates.length
      ? (
          await deps.db
            .select()
            .from(programs)
            .where(
              inArray(
                programs.id,
                rates.map((r) => r.toProgramId),
              ),
            )
        ).map((p) => [p.id, p.name])
      : [],
  );
  const destinations: Destination[] = rates.map((rate) => ({
    programId: rate.toProgramId,
    name: names.get(rate.toProgramId) ?? rate.toProgramId,
    fromPoints: rate.fromPoints,
    toPoints: rate.toPoints,
    minPoints: rate.minPoints,
    increment: rate.increment,
  }));
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
      {...extra}
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
      const quote = (await createQuote(c.var.deps, {
        partnerId: session.partnerId,
        fromProgramId: session.programId,
        fromExternalId: session.externalId,
        toProgramId: form.to_program_id ?? "",
        toExternalId: (form.to_external_id ?? "").trim(),
        fromPoints: Number(form.from_points),
      })) as MemberQuote;
      const [destination] = await c.var.deps.db
        .select()
        .from(programs)
        .where(inArray(programs.id, [form.to_program_id ?? ""]));
      return page(c, session, token, { quote: { ...quote, destination: destination?.name ?? "" } }, 201);
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
    const quote = await deps.reader.all<{ from_program_id: string; external_id: string }>(
      `select q.from_program_id, m.external_id from quotes q join members m on m.id = q.from_member_id where q.id = ?`,
      [form.quote_id ?? ""],
    );
    if (quote[0]?.from_program_id !== session.programId || quote[0]?.external_id !== session.externalId)
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
