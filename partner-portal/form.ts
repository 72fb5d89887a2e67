import type { Context } from "hono";
import { ApiError } from "../gateway/src/errors";
import type { PortalEnv } from "./context";
import { portalProblem } from "./problems";
import { csrfValid } from "./session";

export type FormFields = Record<string, string | undefined>;

/**
 * A form POST's text fields. A body that cannot be parsed (a multipart type without its boundary) is a 400
 * page, not a crash; a file sent in a field's place counts as a missing field, as the pages only read text.
 */
export async function formFields(c: Context<PortalEnv>): Promise<FormFields> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new ApiError("validation_failed", c.var.i18n.t("error.badForm"));
  }
  // No prototype: a field name such as `constructor` is just a name.
  const fields: FormFields = Object.create(null);
  for (const [name, value] of Object.entries(body)) if (typeof value === "string") fields[name] = value;
  return fields;
}

/** A signed-in form POST's fields, after its CSRF token is checked against the session's (403 otherwise). */
export async function verifiedForm(c: Context<PortalEnv>): Promise<FormFields> {
  const body = await formFields(c);
  if (!csrfValid(c, body._csrf, c.var.session?.csrfToken)) throw portalProblem("forbidden", { reason: "csrf" });
  return body;
}
