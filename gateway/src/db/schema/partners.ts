import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A company in the coalition. `requests_per_minute` overrides the default request limit. */
export const partners = sqliteTable(
  "partners",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    contactEmail: text("contact_email").notNull(),
    status: text("status", { enum: ["active", "suspended"] })
      .notNull()
      .default("active"),
    requestsPerMinute: integer("requests_per_minute"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    suspendedAt: integer("suspended_at", { mode: "timestamp_ms" }),
  },
  (t) => [check("partners_status", sql`${t.status} in ('active', 'suspended')`)],
);

/**
 * OAuth client credentials. `partner_id` is null for the operator. Only a SHA-256 hash of the secret is
 * kept: secrets are 256 random bits, so a slow KDF would add latency without adding safety.
 */
export const credentials = sqliteTable(
  "credentials",
  {
    clientId: text("client_id").primaryKey(),
    partnerId: text("partner_id").references(() => partners.id),
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /** The partner's own name for the key ("Production checkout"); a rotation's new key inherits it. */
    name: text("name"),
    /** When the credential last got a token, to the minute (written at most once a minute, off the request). */
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("credentials_partner").on(t.partnerId)],
);

/** People of a partner who sign in to the partner portal. */
export const portalUsers = sqliteTable(
  "portal_users",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    email: text("email").notNull().unique(),
    role: text("role", { enum: ["admin", "finance", "viewer"] }).notNull(),
    passwordHash: text("password_hash"),
    setPasswordTokenHash: text("set_password_token_hash"),
    setPasswordExpiresAt: integer("set_password_expires_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("portal_users_partner").on(t.partnerId),
    check("portal_users_role", sql`${t.role} in ('admin', 'finance', 'viewer')`),
  ],
);
