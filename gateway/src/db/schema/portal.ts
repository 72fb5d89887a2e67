import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
 * A hosted conversion page for one member, opened by a partner (`POST /v1/member-sessions`): good only for
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
