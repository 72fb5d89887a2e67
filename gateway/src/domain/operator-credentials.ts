import { operatorScope } from "../auth/scopes";
import { insertCredential, revokeOtherOperatorCredentials, upsertOperatorCredential } from "../db/queries/credentials";
import type { Deps } from "../deps";
import { newCredential } from "./credentials";

/** An operator credential with its secret: generated ones are shown once, configured ones come from settings. */
export type OperatorSecret = { clientId: string; secret: string };

const operatorRow = (deps: Pick<Deps, "clock">, configured?: OperatorSecret) =>
  newCredential(null, [operatorScope], deps.clock.now(), { fixed: configured });

export async function ensureConfiguredOperator(
  deps: Pick<Deps, "db" | "clock">,
  configured: OperatorSecret,
): Promise<void> {
  const { row } = await operatorRow(deps, configured);
  // The settings win over the database: the credential is created, or its secret set and revocation lifted.
  await upsertOperatorCredential(deps.db, row);
}

/** A new operator credential with a generated id and secret. */
export async function createOperatorCredential(deps: Pick<Deps, "db" | "clock">): Promise<OperatorSecret> {
  const { row, secret } = await operatorRow(deps);
  await insertCredential(deps.db, row);
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
    configured ? upsertOperatorCredential(deps.db, row) : insertCredential(deps.db, row),
    revokeOtherOperatorCredentials(deps.db, row.clientId, deps.clock.now()),
  ]);
  return {
    clientId: row.clientId,
    secret: configured ? undefined : secret,
    revoked: revoked.map((revokedRow) => revokedRow.clientId).sort(),
  };
}
