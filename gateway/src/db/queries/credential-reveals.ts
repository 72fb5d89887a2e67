import { and, eq, inArray, isNotNull, notInArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { credentials, portalCredentialReveals, portalSessions } from "../schema";

type Reveal = typeof portalCredentialReveals.$inferSelect;

/**
 * Records a form's nonce and the sealed secret of the credential it made; for the credential's `db.batch`, after
 * the credential's insert. It writes only if that credential was inserted (a rotation that lost a race adds
 * none), and a nonce already used fails the whole batch on the primary key, so one form makes one credential.
 */
export const insertCredentialReveal = (db: Db, reveal: Reveal) =>
  db.insert(portalCredentialReveals).select(
    db
      .select({
        sessionTokenHash: sql<string>`${reveal.sessionTokenHash}`.as("session_token_hash"),
        formNonce: sql<string>`${reveal.formNonce}`.as("form_nonce"),
        clientId: credentials.clientId,
        sealedSecret: sql<string | null>`${reveal.sealedSecret}`.as("sealed_secret"),
        createdAt: sql<Date>`${reveal.createdAt.getTime()}`.as("created_at"),
      })
      .from(credentials)
      .where(eq(credentials.clientId, reveal.clientId)),
  );

/** Whether a session already sent the form with this nonce. */
export async function findCredentialReveal(db: Db, sessionTokenHash: string, formNonce: string) {
  return db
    .select({ clientId: portalCredentialReveals.clientId })
    .from(portalCredentialReveals)
    .where(
      and(
        eq(portalCredentialReveals.sessionTokenHash, sessionTokenHash),
        eq(portalCredentialReveals.formNonce, formNonce),
      ),
    )
    .get();
}

/** A session's secrets not shown yet. */
export async function findSealedSecrets(db: Db, sessionTokenHash: string) {
  return db
    .select({
      formNonce: portalCredentialReveals.formNonce,
      clientId: portalCredentialReveals.clientId,
      sealedSecret: portalCredentialReveals.sealedSecret,
    })
    .from(portalCredentialReveals)
    .where(
      and(
        eq(portalCredentialReveals.sessionTokenHash, sessionTokenHash),
        isNotNull(portalCredentialReveals.sealedSecret),
      ),
    );
}

/**
 * Clears the secrets of these nonces, answering the nonces it cleared: of two page loads at once, each secret
 * is cleared, and so shown, by one only.
 */
export async function clearSealedSecrets(db: Db, sessionTokenHash: string, formNonces: string[]) {
  const cleared = await db
    .update(portalCredentialReveals)
    .set({ sealedSecret: null })
    .where(
      and(
        eq(portalCredentialReveals.sessionTokenHash, sessionTokenHash),
        inArray(portalCredentialReveals.formNonce, formNonces),
        isNotNull(portalCredentialReveals.sealedSecret),
      ),
    )
    .returning({ formNonce: portalCredentialReveals.formNonce });
  return cleared.map((row) => row.formNonce);
}

/** Deletes the reveals of sessions that ended; for the session clean-up's batch, after their sessions go. */
export const deleteEndedSessionReveals = (db: Db) =>
  db
    .delete(portalCredentialReveals)
    .where(
      notInArray(
        portalCredentialReveals.sessionTokenHash,
        db.select({ hash: portalSessions.tokenHash }).from(portalSessions),
      ),
    )
    .returning({ id: portalCredentialReveals.formNonce });
