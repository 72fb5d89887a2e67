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
import type { MemberShellProps } from "../../pages/member/shell";
import { csrfValid } from "../../session";

export type MemberContext = Context<PortalEnv>;
export type Status = 200 | 400 | 403 | 404 | 409 | 422 | 429 | 500 | 503;

/** A refusal's status, for the page that says it (kept to the few the member's forms can meet). */
export const statusOf = (error: ApiError): Status =>
  ([400, 403, 404, 409, 422, 429, 503] as const).find((status) => status === error.status) ?? 500;

/** The session of the URL's token, its form checked against the session's CSRF token. */
export async function openSession(c: MemberContext, form?: FormFields) {
  const session = await findMemberSession(c.var.deps, c.req.param("token") ?? "");
  if (!session) throw new ApiError("not_found", c.var.i18n.t("member.expired"));
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
    available: access.available,
    pending: access.pending,
    timezone: memberSessionTimezone(token),
  };
  return { props, access, now };
}
