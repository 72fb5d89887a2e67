import { openSealedText, sealText } from "../auth/sealed";
import { sha256Hex } from "../auth/secrets";
import {
  clearSealedSecrets,
  findCredentialReveal,
  findSealedSecrets,
  insertCredentialReveal,
} from "../db/queries/credential-reveals";
import type { Deps } from "../deps";
import type { WithNewCredential } from "./credentials";

/**
 * The portal's one-time reveal of a new credential's secret, for POST, redirect, GET: the POST that makes the
 * credential records the form's nonce with the secret, sealed for the session, in the same atomic write; the
 * page after the redirect takes it, and only that page load shows it. The nonce makes one credential only, so
 * resubmitting the form (the back button, a replayed request) makes none.
 */

/** The form that asks for a credential: the session's cookie token (the seal's key) and the form's one-time nonce. */
export type CredentialForm = { sessionToken: string; formNonce: string };

const sealPurpose = "portal credential reveal";

/** The write that records `form` and seals the new secret for its session, for `addCredential`/`rotateCredential`. */
export const revealToSession =
  (deps: Pick<Deps, "db" | "clock">, form: CredentialForm): WithNewCredential =>
  async (credential, secret) => ({
    write: insertCredentialReveal(deps.db, {
      sessionTokenHash: sha256Hex(form.sessionToken),
      formNonce: form.formNonce,
      clientId: credential.clientId,
      sealedSecret: await sealText(secret, form.sessionToken, sealPurpose),
      createdAt: deps.clock.now(),
    }),
  });

/** Whether the session already sent this form, which then made its credential. */
export async function formAlreadySent(deps: Pick<Deps, "db">, form: CredentialForm): Promise<boolean> {
  return (await findCredentialReveal(deps.db, sha256Hex(form.sessionToken), form.formNonce)) !== undefined;
}

/** The secrets made for the session and not shown yet, cleared as they are taken: each is answered once. */
export async function takeNewSecrets(
  deps: Pick<Deps, "db">,
  sessionToken: string,
): Promise<{ clientId: string; secret: string }[]> {
  const sessionTokenHash = sha256Hex(sessionToken);
  const pending = await findSealedSecrets(deps.db, sessionTokenHash);
  if (pending.length === 0) return [];
  const taken = new Set(
    await clearSealedSecrets(
      deps.db,
      sessionTokenHash,
      pending.map((reveal) => reveal.formNonce),
    ),
  );
  const shown: { clientId: string; secret: string }[] = [];
  for (const reveal of pending) {
    if (!taken.has(reveal.formNonce) || !reveal.sealedSecret) continue;
    const secret = await openSealedText(reveal.sealedSecret, sessionToken, sealPurpose);
    if (secret) shown.push({ clientId: reveal.clientId, secret });
  }
  return shown;
}
