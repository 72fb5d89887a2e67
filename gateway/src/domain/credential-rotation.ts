import { grantedScopes } from "../auth/scopes";
import { insertReplacementCredential, revokeReplacedCredential } from "../db/queries/credential-rotation";
import { findPartnerCredential } from "../db/queries/credentials";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { newCredential, type WithNewCredential } from "./credentials";
import type { Credential } from "./partners";

/** The longest a replaced credential may keep working after its rotation. */
export const maxRotationGraceMs = 24 * 3_600_000;

/**
 * Rotates a partner's credential in one atomic write: a new client id and secret with the same scopes and name,
 * and the old credential revoked, at once or after `graceMs` (at most `maxRotationGraceMs`) so that its holder
 * can deploy the new pair first; its tokens are refused from then on. An unknown credential, or another
 * partner's, is 404; one already revoked or replaced, 409. Of two rotations of one credential at once exactly
 * one succeeds: the new credential is inserted only while the old one is unrevoked, in the write that revokes
 * it, so the later write finds it revoked, adds nothing, and its caller gets 409. `alongside` adds a write to
 * the same batch (the portal's one-time reveal of the secret): if it fails, nothing is written.
 */
export async function rotateCredential(
  deps: Pick<Deps, "db" | "clock">,
  input: { partnerId: string; clientId: string; graceMs?: number; alongside?: WithNewCredential },
): Promise<{ credential: Credential; secret: string }> {
  const { partnerId, clientId } = input;
  const old = await findPartnerCredential(deps.db, partnerId, clientId);
  if (!old) throw new ApiError("not_found", `Partner ${partnerId} has no credential ${clientId}.`);
  if (old.revokedAt) throw alreadyReplaced(clientId, old.revokedAt);
  const now = deps.clock.now();
  const graceMs = Math.min(Math.max(input.graceMs ?? 0, 0), maxRotationGraceMs);
  const revokedAt = new Date(now.getTime() + graceMs);
  const { row: credential, secret } = await newCredential(partnerId, grantedScopes(partnerId, old.scopes), now, {
    name: old.name,
  });
  const writes = [
    insertReplacementCredential(deps.db, credential, { clientId, partnerId }),
    revokeReplacedCredential(deps.db, { clientId, partnerId }, revokedAt),
  ] as const;
  const extra = await input.alongside?.(credential, secret);
  const [inserted] = extra ? await deps.db.batch([...writes, extra.write]) : await deps.db.batch(writes);
  if (inserted.length === 0)
    throw alreadyReplaced(clientId, (await findPartnerCredential(deps.db, partnerId, clientId))?.revokedAt);
  return { credential, secret };
}

const alreadyReplaced = (clientId: string, revokedAt: Date | null | undefined) =>
  new ApiError(
    "conflict",
    `Credential ${clientId} is already revoked or replaced` +
      (revokedAt ? `; it stops working at ${revokedAt.toISOString()}.` : "."),
  );
