import { and, eq, isNull } from "drizzle-orm";
import { constantTimeEqual, randomToken, sha256Hex } from "../auth/secrets";
import type { Db } from "../db/client";
import { credentials, partners } from "../db/schema";

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
export async function authenticateClient(db: Db, clientId: string, secret: string): Promise<ClientCheck> {
  const row = await db
    .select({
      secretHash: credentials.secretHash,
      scopes: credentials.scopes,
      partnerId: credentials.partnerId,
      status: partners.status,
    })
    .from(credentials)
    .leftJoin(partners, eq(partners.id, credentials.partnerId))
    .where(and(eq(credentials.clientId, clientId), isNull(credentials.revokedAt)))
    .get();
  const matches = constantTimeEqual(sha256Hex(secret), row?.secretHash ?? absentHash);
  if (!row || !matches) return { ok: false, reason: "invalid_client" };
  if (row.status === "suspended") return { ok: false, reason: "partner_suspended" };
  return { ok: true, clientId, partnerId: row.partnerId, scopes: row.scopes.split(" ").filter(Boolean) };
}
