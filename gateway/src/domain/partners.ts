import type { Db } from "../db/client";
import {
  findPartnerCredential,
  insertCredential,
  listPartnerCredentials,
  markCredentialRevoked,
} from "../db/queries/credentials";
import { findPartnerById, insertPartner, updatePartnerFields, updatePartnerStatus } from "../db/queries/partners";
import type { credentials, partners } from "../db/schema";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { credentialNameMessages, credentialNameProblem, newCredential, type WithNewCredential } from "./credentials";

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
  const { row: credential, secret } = await newCredential(partner.id, input.scopes, now);
  await deps.db.batch([insertPartner(deps.db, partner), insertCredential(deps.db, credential)]);
  return { partner, credential, secret };
}

export async function findPartner(db: Db, id: string): Promise<Partner> {
  const partner = await findPartnerById(db, id);
  if (!partner) throw new ApiError("not_found", `No partner ${id}.`);
  return partner;
}

export async function partnerCredentials(db: Db, partnerId: string): Promise<Credential[]> {
  return listPartnerCredentials(db, partnerId);
}

/** One of a partner's credentials; another partner's, or an unknown one, is 404. */
export async function partnerCredential(db: Db, partnerId: string, clientId: string): Promise<Credential> {
  const credential = await findPartnerCredential(db, partnerId, clientId);
  if (!credential) throw new ApiError("not_found", `Partner ${partnerId} has no credential ${clientId}.`);
  return credential;
}

/** Suspends or reactivates; tokens already issued are checked against this on every request. */
export async function setPartnerStatus(
  deps: Pick<Deps, "db" | "clock">,
  id: string,
  status: Partner["status"],
): Promise<Partner> {
  const partner = await updatePartnerStatus(deps.db, id, status, deps.clock.now());
  if (!partner) throw new ApiError("not_found", `No partner ${id}.`);
  return partner;
}

export async function updatePartner(
  db: Db,
  id: string,
  changes: Partial<Pick<Partner, "name" | "contactEmail" | "requestsPerMinute">>,
): Promise<Partner> {
  if (Object.keys(changes).length === 0) return findPartner(db, id);
  const partner = await updatePartnerFields(db, id, changes);
  if (!partner) throw new ApiError("not_found", `No partner ${id}.`);
  return partner;
}

/**
 * Adds a credential to a partner, named or not. `alongside` adds a write to the same atomic batch (the portal's
 * one-time reveal of the secret): if it fails, no credential is added.
 */
export async function addCredential(
  deps: Pick<Deps, "db" | "clock">,
  partnerId: string,
  input: { scopes: readonly string[]; name?: string | null; alongside?: WithNewCredential },
): Promise<{ credential: Credential; secret: string }> {
  await findPartner(deps.db, partnerId);
  const name = input.name == null ? null : input.name.trim();
  const problem = name === null ? undefined : credentialNameProblem(name);
  if (problem)
    throw new ApiError("validation_failed", "The credential's name is not valid.", {
      errors: [{ path: "name", message: credentialNameMessages[problem] }],
    });
  const { row: credential, secret } = await newCredential(partnerId, input.scopes, deps.clock.now(), { name });
  const insert = insertCredential(deps.db, credential);
  const extra = await input.alongside?.(credential, secret);
  await (extra ? deps.db.batch([insert, extra.write]) : insert);
  return { credential, secret };
}

/**
 * Revokes a credential now, also one whose rotation's grace period is still running; its live tokens are
 * refused from the next request on.
 */
export async function revokeCredential(
  deps: Pick<Deps, "db" | "clock">,
  partnerId: string,
  clientId: string,
): Promise<Credential> {
  const existing = await findPartnerCredential(deps.db, partnerId, clientId);
  if (!existing) throw new ApiError("not_found", `Partner ${partnerId} has no credential ${clientId}.`);
  const now = deps.clock.now();
  if (existing.revokedAt && existing.revokedAt <= now) return existing;
  return (await markCredentialRevoked(deps.db, clientId, now)) ?? existing;
}
