import { and, isNull, ne } from "drizzle-orm";
import { operatorScope } from "../auth/scopes";
import type { Db } from "../db/client";
import { credentials } from "../db/schema";
import type { Deps } from "../deps";
import { type NewCredential, newCredential } from "./credentials";

/** An operator credential with its secret: generated ones are shown once, configured ones come from settings. */
export type OperatorSecret = { clientId: string; secret: string };

// Operator credentials are the ones without a partner (schema/partners.ts).
const valid = and(isNull(credentials.partnerId), isNull(credentials.revokedAt));

/** Client ids of the operator credentials that can sign in, oldest first. Never their secrets. */
export async function validOperatorClientIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ clientId: credentials.clientId })
    .from(credentials)
    .where(valid)
    .orderBy(credentials.createdAt, credentials.clientId);
  return rows.map((row) => row.clientId);
}

/**
 * The write that makes the configured credential (OPERATOR_CLIENT_ID and OPERATOR_CLIENT_SECRET) valid:
 * created if absent, else its secret set and any revocation lifted. The settings win over the database.
 */
const upsertConfigured = (db: Db, row: NewCredential["row"]) =>
  db
    .insert(credentials)
    .values(row)
    .onConflictDoUpdate({
      target: credentials.clientId,
      set: { secretHash: row.secretHash, revokedAt: null, partnerId: null, scopes: row.scopes },
    });

const operatorRow = (deps: Pick<Deps, "clock">, configured?: OperatorSecret) =>
  newCredential(null, [operatorScope], deps.clock.now(), configured);

export async function ensureConfiguredOperator(
  deps: Pick<Deps, "db" | "clock">,
  configured: OperatorSecret,
): Promise<void> {
  const { row } = await operatorRow(deps, configured);
  await upsertConfigured(deps.db, row);
}

/** A new operator credential with a generated id and secret. */
export async function createOperatorCredential(deps: Pick<Deps, "db" | "clock">): Promise<OperatorSecret> {
  const { row, secret } = await operatorRow(deps);
  await deps.db.insert(credentials).values(row);
  return { clientId: row.clientId, secret };
}

/**
 * Leaves exactly one valid operator credential, in one atomic write: the configured one when given, else a
 * new generated one, whose secret is answered (to be shown once). Every other operator credential is
 * revoked, and the access tokens they were issued are refused from the next request on (http/auth.ts
 * checks the credential on every request).
 */
export async function rotateOperatorCredential(
  deps: Pick<Deps, "db" | "clock">,
  configured?: OperatorSecret,
): Promise<{ clientId: string; secret?: string; revoked: string[] }> {
  const { row, secret } = await operatorRow(deps, configured);
  const [, revoked] = await deps.db.batch([
    configured ? upsertConfigured(deps.db, row) : deps.db.insert(credentials).values(row),
    deps.db
      .update(credentials)
      .set({ revokedAt: deps.clock.now() })
      .where(and(valid, ne(credentials.clientId, row.clientId)))
      .returning({ clientId: credentials.clientId }),
  ]);
  return {
    clientId: row.clientId,
    secret: configured ? undefined : secret,
    revoked: revoked.map((revokedRow) => revokedRow.clientId).sort(),
  };
}
