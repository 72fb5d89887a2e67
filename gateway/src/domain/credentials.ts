import { constantTimeEqual, randomToken, sha256Hex } from "../auth/secrets";
import { findUnrevokedCredential } from "../db/queries/credentials";
import type { credentials } from "../db/schema";
import type { Deps } from "../deps";

export type NewCredential = {
  row: typeof credentials.$inferInsert;
  secret: string;
};

/** A fresh client id and secret; only the secret's hash goes in the row. */
export async function newCredential(
  partnerId: string | null,
  scopes: readonly string[],
  now: Date,
  fixed?: { clientId: string; secret: string },
): Promise<NewCredential> {
  const clientId = fixed?.clientId ?? `${partnerId ? "ci" : "op"}_${randomToken(18)}`;
  const secret = fixed?.secret ?? `cs_${randomToken(32)}`;
  return {
    secret,
    row: { clientId, partnerId, secretHash: sha256Hex(secret), scopes: scopes.join(" "), createdAt: now },
  };
}

export type ClientCheck =
  | { ok: true; clientId: string; partnerId: string | null; scopes: string[] }
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
  const { partnerId, scopes } = row.credential;
  return { ok: true, clientId, partnerId, scopes: scopes.split(" ").filter(Boolean) };
}
