import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { credentials, partners } from "../db/schema";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { newCredential } from "./credentials";

export type Partner = typeof partners.$inferSelect;
export type Credential = typeof credentials.$inferSelect;

/** Creates a partner and its first credential in one atomic write. */
export async function createPartner(
  deps: Pick<Deps, "db" | "clock" | "ids">,
  input: { name: string; contactEmail: string; requestsPerMinute?: number | null; scopes: readonly string[] },
): Promise<{ partner: Partner; credential: Credential; secret: string }> {
  const now = deps.clock.now();
  const partner: Partner = {
    id: deps.ids("ptn"),
    name: input.name,
    contactEmail: input.contactEmail,
    status: "active",
    requestsPerMinute: input.requestsPerMinute ?? null,
    createdAt: now,
    suspendedAt: null,
  };
  const { row, secret } = await newCredential(partner.id, input.scopes, now);
  await deps.db.batch([deps.db.insert(partners).values(partner), deps.db.insert(credentials).values(row)]);
  return { partner, credential: { ...row, partnerId: partner.id, revokedAt: null }, secret };
}

export async function findPartner(db: Db, id: string): Promise<Partner> {
  const partner = await db.select().from(partners).where(eq(partners.id, id)).get();
  if (!partner) throw new ApiError("not_found", `No partner ${id}.`);
  return partner;
}

export async function partnerCredentials(db: Db, partnerId: string): Promise<Credential[]> {
  return db.select().from(credentials).where(eq(credentials.partnerId, partnerId)).orderBy(credentials.createdAt);
}

/** Suspends or reactivates; tokens already issued are checked against this on every request. */
export async function setPartnerStatus(
  deps: Pick<Deps, "db" | "clock">,
  id: string,
  status: Partner["status"],
): Promise<Partner> {
  const [partner] = await deps.db
    .update(partners)
    // Suspending twice keeps the first suspension time.
    .set({
      status,
      suspendedAt:
        status === "suspended" ? sql`coalesce(${partners.suspendedAt}, ${deps.clock.now().getTime()})` : null,
    })
    .where(eq(partners.id, id))
    .returning();
  if (!partner) throw new ApiError("not_found", `No partner ${id}.`);
  return partner;
}

export async function updatePartner(
  db: Db,
  id: string,
  changes: Partial<Pick<Partner, "name" | "contactEmail" | "requestsPerMinute">>,
): Promise<Partner> {
  if (Object.keys(changes).length === 0) return findPartner(db, id);
  const [partner] = await db.update(partners).set(changes).where(eq(partners.id, id)).returning();
  if (!partner) throw new ApiError("not_found", `No partner ${id}.`);
  return partner;
}

export async function addCredential(
  deps: Pick<Deps, "db" | "clock">,
  partnerId: string,
  scopes: readonly string[],
): Promise<{ credential: Credential; secret: string }> {
  await findPartner(deps.db, partnerId);
  const { row, secret } = await newCredential(partnerId, scopes, deps.clock.now());
  await deps.db.insert(credentials).values(row);
  return { credential: { ...row, partnerId, revokedAt: null }, secret };
}

/** Revokes a credential; its live tokens are refused from the next request on. */
export async function revokeCredential(
  deps: Pick<Deps, "db" | "clock">,
  partnerId: string,
  clientId: string,
): Promise<Credential> {
  const existing = await deps.db
    .select()
    .from(credentials)
    .where(and(eq(credentials.clientId, clientId), eq(credentials.partnerId, partnerId)))
    .get();
  if (!existing) throw new ApiError("not_found", `Partner ${partnerId} has no credential ${clientId}.`);
  if (existing.revokedAt) return existing;
  const [revoked] = await deps.db
    .update(credentials)
    .set({ revokedAt: deps.clock.now() })
    .where(eq(credentials.clientId, clientId))
    .returning();
  return revoked ?? existing;
}
