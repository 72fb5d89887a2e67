import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { credentials } from "../schema";

type Credential = typeof credentials.$inferSelect;

/** A partner's credential, by client id. */
type Replaced = { clientId: string; partnerId: string };

/** The credential a rotation replaces, while it can be: the partner's own, and not revoked (not even later). */
const replaceable = (replaced: Replaced) =>
  and(
    eq(credentials.clientId, replaced.clientId),
    eq(credentials.partnerId, replaced.partnerId),
    isNull(credentials.revokedAt),
  );

/**
 * Inserts `replacement`, named as the credential it replaces, only while that one is replaceable; for the rotation's `db.batch`,
 * ahead of `revokeReplacedCredential`. Returns the inserted client id, or nothing when another rotation or a
 * revocation committed first: two rotations of one credential cannot both add one.
 */
export const insertReplacementCredential = (
  db: Db,
  replacement: Omit<Credential, "revokedAt" | "name" | "lastUsedAt">,
  replaced: Replaced,
) =>
  db
    .insert(credentials)
    .select(
      db
        .select({
          clientId: sql<string>`${replacement.clientId}`.as("client_id"),
          partnerId: sql<string | null>`${replacement.partnerId}`.as("partner_id"),
          secretHash: sql<string>`${replacement.secretHash}`.as("secret_hash"),
          scopes: sql<string>`${replacement.scopes}`.as("scopes"),
          createdAt: sql<Date>`${replacement.createdAt.getTime()}`.as("created_at"),
          revokedAt: sql<Date | null>`null`.as("revoked_at"),
          // The new key keeps the partner's name for the one it replaces.
          name: credentials.name,
          lastUsedAt: sql<Date | null>`null`.as("last_used_at"),
        })
        .from(credentials)
        .where(replaceable(replaced)),
    )
    .returning({ clientId: credentials.clientId });

/** Revokes the replaced credential at `at` (now, or when its grace period ends); for the same `db.batch`. */
export const revokeReplacedCredential = (db: Db, replaced: Replaced, at: Date) =>
  db.update(credentials).set({ revokedAt: at }).where(replaceable(replaced));
