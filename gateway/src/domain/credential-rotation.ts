import { insertReplacementCredential, revokeReplacedCredential } from "../db/queries/credential-rotation";
import { findPartnerCredential } from "../db/queries/credentials";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { newCredential } from "./credentials";
import type { Credential } from "./partners";

/** The longest a replaced credential may keep working after its rotation. */
export const maxRotationGraceMs = 24 * 3_600_000;

/**
 * Rotates a partner's credential in one atomic write: a new client id and secret with the same scopes, and the
 * old credential revoked, at once or after `graceMs` (at most `maxRotationGraceMs`) so that its holder can
 * deploy the new pair first; its tokens are refused from then on. An unknown credential, or another partner's,
 * is 404; one already revoked or replaced, 409. Of two rotations of one credential at once exactly one
 * succeeds: the new credential is inserted only while the old one is unrevoked, in the write that revokes it,
 * so the later write finds it revoked, adds nothing, and its caller gets 409.
 */
export async function rotateCredential(
  deps: Pick<Deps, "db" | "clock">,
  input: { partnerId: string; clientId: string; graceMs?: number },
): Promise<{ credential: Credential; secret: string }> {
  const { partnerId, clientId } = input;
  const old = await findPartnerCredential(deps.db, partnerId, clientId);
  if (!old) throw new ApiError("not_found", `Partner ${partnerId} has no credential ${clientId}.`);
  if (old.revokedAt) throw alreadyReplaced(clientId, old.revokedAt);
  const now = deps.clock.now();
  const revokedAt = new Date(now.getTime() + (input.graceMs ?? 0));
  const { row, secret } = await newCredential(partnerId, old.scopes.split(" "), now);
  const credential: Credential = { ...row, partnerId, revokedAt: null };
  const [inserted] = await deps.db.batch([
    insertReplacementCredential(deps.db, credential, { clientId, partnerId }),
    revokeReplacedCredential(deps.db, { clientId, partnerId }, revokedAt),
  ]);
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
