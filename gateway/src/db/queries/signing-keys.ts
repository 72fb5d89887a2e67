import { desc, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "../client";
import { signingKeys } from "../schema";

type SigningKeyRow = typeof signingKeys.$inferSelect;

export async function findSigningKey(db: Db, kid: string): Promise<SigningKeyRow | undefined> {
  return db.select().from(signingKeys).where(eq(signingKeys.kid, kid)).get();
}

/** The newest key not retired: the one that signs. */
export async function findActiveSigningKey(db: Db): Promise<SigningKeyRow | undefined> {
  return db.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt)).get();
}

/** The public JWKs (JSON text) of the keys not retired, or retired after `retiredAfter`; newest first. */
export async function listPublishedPublicJwks(db: Db, retiredAfter: Date): Promise<string[]> {
  const rows = await db
    .select({ publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, retiredAfter)))
    .orderBy(desc(signingKeys.createdAt));
  return rows.map((row) => row.publicJwk);
}

/** In one batch: retires every active key at the new key's `createdAt` and inserts the new key, which signs from now. */
export async function installSigningKey(db: Db, key: Omit<SigningKeyRow, "retiredAt">): Promise<void> {
  await db.batch([
    db.update(signingKeys).set({ retiredAt: key.createdAt }).where(isNull(signingKeys.retiredAt)),
    db.insert(signingKeys).values(key),
  ]);
}
