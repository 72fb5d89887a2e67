import { and, eq, gt, isNull, lt, ne, or } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { credentials, partners } from "../schema";
import type { Nullable, SqlRow } from "./rows";
import { type Epoch, epochColumn } from "./terms-epoch";

type Credential = typeof credentials.$inferSelect;
type NewCredential = typeof credentials.$inferInsert;

type StandingRow = Pick<SqlRow<typeof credentials>, "revoked_at" | "partner_id"> &
  Nullable<Pick<SqlRow<typeof partners>, "status" | "requests_per_minute">> &
  Epoch;

export type CredentialStanding = ReturnType<typeof standingAt>;

const standingQuery = `select ${epochColumn}, c.revoked_at, c.partner_id, p.status, p.requests_per_minute
  from credentials c left join partners p on p.id = c.partner_id where c.client_id = ?`;

/**
 * Standings read by this process or isolate, per reader (one database) and client id, with the terms epoch they were
 * read at. Triggers move the epoch with every change of a credential's revocation or partner and of a partner's
 * status or request limit (migration 0022), so a remembered standing is the database's while the epoch is the same.
 */
const rememberedStanding = new WeakMap<SqlReader, Map<string, StandingRow>>();
const rememberedCapacity = 10_000;

const standingAt = (row: StandingRow, at: Date) => ({
  revoked: row.revoked_at !== null && row.revoked_at <= at.getTime(),
  partnerId: row.partner_id,
  partnerStatus: row.status,
  requestsPerMinute: row.requests_per_minute,
  /** The terms epoch the standing was read at. */
  epoch: row.terms_epoch,
});

/**
 * What every authenticated request checks about the credential behind its token: revoked by `at` or not (a
 * rotation with a grace period revokes the old credential at a later time), whose it is, and its partner's
 * status and request limit (no partner: the operator); undefined for an unknown client id. Read with the terms
 * epoch and remembered under it (`rememberedCredentialStanding`). Plain SQL on the hot path.
 */
export async function findCredentialStanding(reader: SqlReader, clientId: string, at: Date) {
  const row = await first<StandingRow>(reader, standingQuery, [clientId]);
  let byClient = rememberedStanding.get(reader);
  if (!byClient) {
    byClient = new Map();
    rememberedStanding.set(reader, byClient);
  }
  if (byClient.size >= rememberedCapacity) byClient.clear();
  if (!row) {
    byClient.delete(clientId);
    return undefined;
  }
  byClient.set(clientId, row);
  return standingAt(row, at);
}

/**
 * The standing this process last read for a client id, without reading: only as current as its `epoch`, which a hot
 * route compares with the epoch its own read sees (http/auth.ts, `confirmStanding`).
 */
export function rememberedCredentialStanding(reader: SqlReader, clientId: string, at: Date) {
  const row = rememberedStanding.get(reader)?.get(clientId);
  return row && standingAt(row, at);
}

/**
 * A credential not revoked by `at` (it may be in a rotation's grace period), with its partner's status (null for
 * the operator's), to check a client secret.
 */
export async function findUnrevokedCredential(db: Db, clientId: string, at: Date) {
  return db
    .select({ credential: credentials, partnerStatus: partners.status })
    .from(credentials)
    .leftJoin(partners, eq(partners.id, credentials.partnerId))
    .where(and(eq(credentials.clientId, clientId), or(isNull(credentials.revokedAt), gt(credentials.revokedAt, at))))
    .get();
}

/** Inserts a credential; not awaited, it can go into a `db.batch` with other writes. */
export const insertCredential = (db: Db, row: NewCredential) => db.insert(credentials).values(row);

/** A partner's credentials, oldest first, revoked ones included. */
export async function listPartnerCredentials(db: Db, partnerId: string): Promise<Credential[]> {
  return db.select().from(credentials).where(eq(credentials.partnerId, partnerId)).orderBy(credentials.createdAt);
}

export async function findPartnerCredential(db: Db, partnerId: string, clientId: string) {
  return db
    .select()
    .from(credentials)
    .where(and(eq(credentials.clientId, clientId), eq(credentials.partnerId, partnerId)))
    .get();
}

/** Marks a credential revoked at `at`; answers it as revoked, or undefined when there is none. */
export async function markCredentialRevoked(db: Db, clientId: string, at: Date): Promise<Credential | undefined> {
  const [revoked] = await db
    .update(credentials)
    .set({ revokedAt: at })
    .where(eq(credentials.clientId, clientId))
    .returning();
  return revoked;
}

/** Sets a credential's last use to `at` unless it was recorded at or after `staleBefore` (one write a minute). */
export async function markCredentialUsed(db: Db, clientId: string, at: Date, staleBefore: Date): Promise<void> {
  await db
    .update(credentials)
    .set({ lastUsedAt: at })
    .where(
      and(
        eq(credentials.clientId, clientId),
        or(isNull(credentials.lastUsedAt), lt(credentials.lastUsedAt, staleBefore)),
      ),
    );
}

// Operator credentials are the ones without a partner (schema/partners.ts).
const validOperator = and(isNull(credentials.partnerId), isNull(credentials.revokedAt));

/** Client ids of the operator credentials that can sign in, oldest first. */
export async function listValidOperatorClientIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ clientId: credentials.clientId })
    .from(credentials)
    .where(validOperator)
    .orderBy(credentials.createdAt, credentials.clientId);
  return rows.map((row) => row.clientId);
}

/**
 * Makes a configured operator credential valid: created if absent, else its secret set and any revocation
 * lifted. Not awaited, it can go into a `db.batch`.
 */
export const upsertOperatorCredential = (db: Db, row: NewCredential) =>
  db
    .insert(credentials)
    .values(row)
    .onConflictDoUpdate({
      target: credentials.clientId,
      set: { secretHash: row.secretHash, revokedAt: null, partnerId: null, scopes: row.scopes },
    });

/** Revokes every valid operator credential but `keptClientId`, returning their client ids; for a `db.batch`. */
export const revokeOtherOperatorCredentials = (db: Db, keptClientId: string, at: Date) =>
  db
    .update(credentials)
    .set({ revokedAt: at })
    .where(and(validOperator, ne(credentials.clientId, keptClientId)))
    .returning({ clientId: credentials.clientId });
