import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { partnerScopes } from "../../gateway/src/auth/scopes";
import { randomToken } from "../../gateway/src/auth/secrets";
import {
  type CredentialForm,
  formAlreadySent,
  revealToSession,
  takeNewSecrets,
} from "../../gateway/src/domain/credential-reveals";
import { rotateCredential } from "../../gateway/src/domain/credential-rotation";
import { credentialNameProblem } from "../../gateway/src/domain/credentials";
import { addCredential, partnerCredential, partnerCredentials } from "../../gateway/src/domain/partners";
import { ApiError } from "../../gateway/src/errors";
import { createPortalRouter, type PortalEnv, partnerOf, requireRole } from "../context";
import { type FormFields, verifiedForm } from "../form";
import { CredentialsPage, credentialState, graceChoices, RotateCredentialPage } from "../pages/credentials";
import type { FormProblem } from "../problems";
import { renderPage } from "../render";
import { sessionCookie } from "../session";

/**
 * The partner's API keys, for admins: POST, redirect, GET. A form that makes a key (creating one, rotating one)
 * carries a one-time nonce; the POST makes the key and keeps its secret for the session in one atomic write,
 * then redirects; the page after it shows the secret once. A reload shows it no more and makes nothing, and a
 * resent form (the back button, a replayed request, even with a valid CSRF token) makes no other key.
 */
const listPath = "/portal/credentials";

/** The session's cookie token and the form's nonce; a form without a usable nonce is out of date (400). */
function credentialForm(c: Context<PortalEnv>, fields: FormFields): CredentialForm {
  const sessionToken = getCookie(c, sessionCookie);
  const formNonce = fields._nonce ?? "";
  if (!sessionToken || !/^[\w-]{16,64}$/.test(formNonce))
    throw new ApiError("validation_failed", c.var.i18n.t("credentials.error.staleForm"));
  return { sessionToken, formNonce };
}

/** Pages that may show a secret are never stored by the browser, so going back cannot show one again. */
const noStore = (c: Context<PortalEnv>) => c.header("Cache-Control", "no-store");

/** Makes a key once per form: a form sent before, found first or by its nonce failing the write, redirects. */
async function once(c: Context<PortalEnv>, form: CredentialForm, make: () => Promise<unknown>) {
  if (await formAlreadySent(c.var.deps, form)) return c.redirect(`${listPath}?resubmitted=1`, 303);
  try {
    await make();
  } catch (error) {
    if (await formAlreadySent(c.var.deps, form)) return c.redirect(`${listPath}?resubmitted=1`, 303);
    throw error;
  }
  return c.redirect(listPath, 303);
}

async function listPage(
  c: Context<PortalEnv>,
  options: { problems?: FormProblem[]; typedName?: string; resubmitted?: boolean } = {},
) {
  const { deps } = c.var;
  const credentials = await partnerCredentials(deps.db, partnerOf(c));
  const sessionToken = getCookie(c, sessionCookie);
  const revealed = sessionToken && !options.problems ? await takeNewSecrets(deps, sessionToken) : [];
  noStore(c);
  return renderPage(
    c,
    <CredentialsPage credentials={credentials} revealed={revealed} formNonce={randomToken(18)} {...options} />,
    options.problems ? 400 : 200,
  );
}

/** The partner's credential in the path, if it can still be rotated: unknown 404; revoked or being replaced, 409. */
async function rotatable(c: Context<PortalEnv>) {
  const credential = await partnerCredential(c.var.deps.db, partnerOf(c), c.req.param("clientId") ?? "");
  const state = credentialState(credential, c.var.deps.clock.now());
  if (state !== "active")
    throw new ApiError(
      "conflict",
      c.var.i18n.t(state === "revoked" ? "credentials.error.revoked" : "credentials.error.replacing"),
    );
  return credential;
}

/** The key's name as the create form sent it: blank is no name; too long or not one line is a problem. */
function typedName(c: Context<PortalEnv>, fields: FormFields): { name: string | null; problem?: FormProblem } {
  const name = (fields.name ?? "").trim();
  if (!name) return { name: null };
  const problem = credentialNameProblem(name);
  if (!problem) return { name };
  const message = c.var.i18n.t(
    problem === "too_long" ? "credentials.error.nameTooLong" : "credentials.error.nameOneLine",
  );
  return { name, problem: { field: "name", message } };
}

export const credentialRoutes = createPortalRouter()
  .get("/credentials", requireRole("admin"), (c) => listPage(c, { resubmitted: c.req.query("resubmitted") === "1" }))
  .post("/credentials", requireRole("admin"), async (c) => {
    const fields = await verifiedForm(c);
    const form = credentialForm(c, fields);
    const { name, problem } = typedName(c, fields);
    if (problem) return listPage(c, { problems: [problem], typedName: fields.name });
    const { deps } = c.var;
    return once(c, form, () =>
      addCredential(deps, partnerOf(c), { scopes: partnerScopes, name, alongside: revealToSession(deps, form) }),
    );
  })
  .get("/credentials/:clientId/rotate", requireRole("admin"), async (c) => {
    const credential = await rotatable(c);
    noStore(c);
    return renderPage(c, <RotateCredentialPage credential={credential} formNonce={randomToken(18)} />);
  })
  .post("/credentials/:clientId/rotate", requireRole("admin"), async (c) => {
    const fields = await verifiedForm(c);
    const form = credentialForm(c, fields);
    if (await formAlreadySent(c.var.deps, form)) return c.redirect(`${listPath}?resubmitted=1`, 303);
    const credential = await rotatable(c);
    const graceSeconds = Object.values(graceChoices).find((seconds) => String(seconds) === fields.grace_period_seconds);
    if (graceSeconds === undefined) {
      const problems = [{ field: "grace_period_seconds", message: c.var.i18n.t("credentials.error.grace") }];
      noStore(c);
      const page = <RotateCredentialPage credential={credential} formNonce={form.formNonce} problems={problems} />;
      return renderPage(c, page, 400);
    }
    const { deps } = c.var;
    return once(c, form, async () => {
      try {
        await rotateCredential(deps, {
          partnerId: partnerOf(c),
          clientId: credential.clientId,
          graceMs: graceSeconds * 1000,
          alongside: revealToSession(deps, form),
        });
      } catch (error) {
        // Another rotation or a revocation committed since the check: say which, in the page's language.
        if (error instanceof ApiError && error.code === "conflict") await rotatable(c);
        throw error;
      }
    });
  });
