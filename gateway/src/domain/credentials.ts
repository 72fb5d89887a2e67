import { grantedScopes } from "../auth/scopes";
import { constantTimeEqual, randomToken, sha256Hex } from "../auth/secrets";
import type { BatchItem } from "../db/client";
import { findUnrevokedCredential, markCredentialUsed } from "../db/queries/credentials";
import type { credentials } from "../db/schema";
import type { Deps } from "../deps";

type Credential = typeof credentials.$inferSelect;

export type NewCredential = {
  /** The row to insert: unrevoked, never used. */
  row: Credential;
  secret: string;
};

/** A fresh client id and secret, named or not; only the secret's hash goes in the row. */
export async function newCredential(
  partnerId: string | null,
  scopes: readonly string[],
  now: Date,
  options: { fixed?: { clientId: string; secret: string }; name?: string | null } = {},
): Promise<NewCredential> {
  const { fixed } = options;
  const clientId = fixed?.clientId ?? `${partnerId ? "ci" : "op"}_${randomToken(18)}`;
  const secret = fixed?.secret ?? `cs_${randomToken(32)}`;
  return {
    secret,
    row: {
      clientId,
      partnerId,
      secretHash: sha256Hex(secret),
      scopes: scopes.join(" "),
      createdAt: now,
      revokedAt: null,
      name: options.name ?? null,
      lastUsedAt: null,
    },
  };
}

/**
 * A write to commit in the same atomic batch as a new credential (the portal's one-time reveal of its secret),
 * built from it. It must write only if the credential's row was inserted ahead of it in the batch. (Wrapped in
 * an object: a query builder is thenable, so a promise resolved with one would run it at once.)
 */
export type WithNewCredential = (credential: Credential, secret: string) => Promise<{ write: BatchItem }>;

/** The longest name a credential may have, in characters. */
export const maxCredentialNameLength = 80;

// Any control character, line breaks and tabs included: a name is one line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

/** What each of `credentialNameProblem`'s answers means, for the API's problem details. */
export const credentialNameMessages = {
  blank: "The name must not be blank.",
  too_long: `The name must be at most ${maxCredentialNameLength} characters.`,
  control_character: "The name must be one line without control characters.",
} as const;

/**
 * What is wrong with a credential's name (trimmed first), if anything: blank, longer than
 * `maxCredentialNameLength` characters, or holding a control character.
 */
export function credentialNameProblem(name: string): "blank" | "too_long" | "control_character" | undefined {
  const trimmed = name.trim();
  if (trimmed.length === 0) return "blank";
  if ([...trimmed].length > maxCredentialNameLength) return "too_long";
  if (controlCharacter.test(trimmed)) return "control_character";
  return undefined;
}

export type ClientCheck =
  | { ok: true; clientId: string; partnerId: string | null; scopes: string[]; lastUsedAt: Date | null }
  | { ok: false; reason: "invalid_client" | "partner_suspended" };

// Compared against when the client id is unknown, so a miss costs the same as a wrong secret.
const absentHash = "0".repeat(64);

/** Checks a client id and secret in constant time; revoked credentials and suspended partners fail. */
export async function authenticateClient(
  deps: Pick<Deps, "db" | "clock">,
  clientId: string,
  secret: string,
): Promise<ClientCheck> {
  const row = await findUnrevokedCredential(deps.db, clientId, deps.clock.now());
  const matches = constantTimeEqual(sha256Hex(secret), row?.credential.secretHash ?? absentHash);
  if (!row || !matches) return { ok: false, reason: "invalid_client" };
  if (row.partnerStatus === "suspended") return { ok: false, reason: "partner_suspended" };
  const { partnerId, scopes, lastUsedAt } = row.credential;
  return { ok: true, clientId, partnerId, scopes: grantedScopes(partnerId, scopes), lastUsedAt };
}

/** A credential's last use is written at most this often: a busy client costs one write a minute, not one a token. */
export const lastUseResolutionMs = 60_000;

/**
 * Records that a credential got a token now, unless its recorded last use (read with its secret) is under
 * `lastUseResolutionMs` old. The update is conditional too, so concurrent token requests write once. It never
 * throws (a failed write is only logged), so the token route runs it after answering, without waiting.
 */
export async function recordCredentialUse(
  deps: Pick<Deps, "db" | "clock" | "log">,
  credential: { clientId: string; lastUsedAt: Date | null },
): Promise<void> {
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - lastUseResolutionMs);
  if (credential.lastUsedAt && credential.lastUsedAt > staleBefore) return;
  try {
    await markCredentialUsed(deps.db, credential.clientId, now, staleBefore);
  } catch (error) {
    deps.log("warn", "could not record a credential's last use", {
      client_id: credential.clientId,
      error: String(error),
    });
  }
}
