import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A signed-in portal session: a partner's portal user, or the operator (signed in with its client
 * credential). Only the SHA-256 of the cookie's token is kept; each session has its own CSRF token.
 */
export const portalSessions = sqliteTable(
  "portal_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    kind: text("kind", { enum: ["partner", "operator"] }).notNull(),
    userId: text("user_id"),
    partnerId: text("partner_id"),
    clientId: text("client_id"),
    role: text("role", { enum: ["admin", "finance", "viewer", "operator"] }).notNull(),
    csrfToken: text("csrf_token").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("portal_sessions_expires").on(t.expiresAt)],
);

/**
 * The hosted pages of one member, opened by a partner (`POST /v1/member-sessions`): good only for
 * converting that member's points out of that program, and only until it expires.
 */
export const memberSessions = sqliteTable("member_sessions", {
  tokenHash: text("token_hash").primaryKey(),
  partnerId: text("partner_id").notNull(),
  programId: text("program_id").notNull(),
  externalId: text("external_id").notNull(),
  csrfToken: text("csrf_token").notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Failed portal sign-ins per email, counted whether or not the email has an account, so that both lock alike
 * and no answer tells which emails exist. Keyed by the SHA-256 of the normalised email rather than the email,
 * so the table is no list of the addresses people typed. `updated_at` is the last counted failure.
 */
export const portalSignInFailures = sqliteTable(
  "portal_sign_in_failures",
  {
    emailHash: text("email_hash").primaryKey(),
    failures: integer("failures").notNull(),
    lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("portal_sign_in_failures_updated").on(t.updatedAt)],
);

/**
 * A credential the portal made (created or rotated) for a session, by the one-time nonce of the form that asked:
 * the nonce can make one credential only, so a resubmitted form (back button, a replayed POST) makes none. The
 * new secret waits here, sealed with a key derived from the session's cookie token (which the database does not
 * hold), until the page after the redirect shows it once and clears it. Deleted with the session.
 */
export const portalCredentialReveals = sqliteTable(
  "portal_credential_reveals",
  {
    sessionTokenHash: text("session_token_hash").notNull(),
    formNonce: text("form_nonce").notNull(),
    clientId: text("client_id").notNull(),
    sealedSecret: text("sealed_secret"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionTokenHash, t.formNonce] })],
);
