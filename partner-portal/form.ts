import type { Context } from "hono";
import { ApiError } from "../gateway/src/http/errors";
import type { PortalEnv } from "./context";
import { csrfValid } from "./session";

/** A signed-in form POST's fields, after its CSRF token is checked against the session's (403 otherwise). */
export async function verifiedForm(c: Context<PortalEnv>): Promise<Record<string, string | undefined>> {
  const body = (await c.req.parseBody()) as Record<string, string | undefined>;
  if (!csrfValid(c, body._csrf, c.var.session?.csrfToken))
    throw new ApiError("forbidden", c.var.i18n.t("csrf.invalid"));
  return body;
}
