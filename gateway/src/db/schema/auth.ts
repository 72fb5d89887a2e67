import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Access-token signing keys. The newest unretired key signs; retired keys stay published for a while. */
export const signingKeys = sqliteTable("signing_keys", {
  kid: text("kid").primaryKey(),
  algorithm: text("algorithm").notNull(),
  privateJwk: text("private_jwk").notNull(),
  publicJwk: text("public_jwk").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  retiredAt: integer("retired_at", { mode: "timestamp_ms" }),
});
