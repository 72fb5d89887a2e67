import type { Context } from "hono";
import { memberAccess } from "../../../gateway/src/domain/access";
import {
  findMemberSession,
  type MemberSession,
  memberSessionTimezone,
} from "../../../gateway/src/domain/member-sessions";
import { findPartner } from "../../../gateway/src/domain/partners";
import { ApiError } from "../../../gateway/src/errors";
import type { PortalEnv } from "../../context";
import type { FormFields } from "../../form";
import { i18n, type Locale } from "../../i18n";
import type { MemberShellProps } from "../../pages/member/shell";
import { csrfValid } from "../../session";

export type MemberContext = Context<PortalEnv>;
export type Status = 200 | 400 | 403 | 404 | 409 | 422 | 429 | 500 | 503;

/** A refusal's status, for the page that says it (kept to the few the member's forms can meet). */
export const statusOf = (error: ApiError): Status =>
  ([400, 403, 404, 409, 422, 429, 503] as const).find((status) => status === error.status) ?? 500;

/**
 * The portal's language for a member's `locale` (a BCP 47 tag the program keeps: "pt", "pt-PT", "ru-RU",
 * "en_GB"), or undefined for one it does not speak: Portuguese of any country reads the Brazilian pages.
 */
export function memberLocale(locale: string | null): Locale | undefined {
  const tag = (locale ?? "").trim().toLowerCase().replaceAll("_", "-");
  if (tag === "pt" || tag.startsWith("pt-")) return "pt-BR";
  if (tag.startsWith("ru")) return "ru";
  if (tag.startsWith("en")) return "en";
  return undefined;
}

/**
 * The session of the URL's token, its form checked against the session's CSRF token. From here on the page, and
 * any refusal it ends in, speaks the member's own language when the program knows it (else the visitor's, as
 * the portal negotiated it).
 */
export async function openSession(c: MemberContext, form?: FormFields) {
  const { deps } = c.var;
  const session = await findMemberSession(deps, c.req.param("token") ?? "");
  if (!session) throw new ApiError("not_found", c.var.i18n.t("member.expired"));
  const { member } = await memberAccess(
    deps.reader,
    session.programId,
    session.externalId,
    session.partnerId,
    deps.clock.now(),
  );
  const locale = memberLocale(member.locale);
  if (locale) c.set("i18n", i18n(locale));
  if (form && !csrfValid(c, form._csrf, session.csrfToken))
    throw new ApiError("forbidden", c.var.i18n.t("csrf.invalid"));
  return session;
}

/** What every member page shows: the program and its owner, the member, the balance, the time zone. */
export async function shell(c: MemberContext, session: MemberSession) {
  const { deps } = c.var;
  const now = deps.clock.now();
  const access = await memberAccess(deps.reader, session.programId, session.externalId, session.partnerId, now, "burn");
  const owner = await findPartner(deps.db, access.program.partnerId);
  const token = c.req.param("token") ?? "";
  const props: MemberShellProps = {
    token,
    program: access.program.name,
    owner: owner.name,
    externalId: session.externalId,
    name: access.member.name,
    available: access.available,
    pending: access.pending,
    timezone: memberSessionTimezone(token),
    fixedLanguage: memberLocale(access.member.locale) !== undefined,
  };
  return { props, access, now };
}
