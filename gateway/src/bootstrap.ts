import { and, eq, isNull } from "drizzle-orm";
import { migrations } from "../../migrations";
import { operatorScope } from "./auth/scopes";
import { sha256Hex } from "./auth/secrets";
import { migrate } from "./db/migrate";
import { credentials } from "./db/schema";
import type { Deps } from "./deps";
import { newCredential } from "./domain/credentials";

/**
 * Start-up work shared by Node and Workers: apply migrations, make sure a signing key exists, and make
 * sure an operator can sign in. Returns a generated operator credential so the entry can print it once.
 */
export async function prepare(deps: Deps): Promise<{ operator?: { clientId: string; secret: string } }> {
  await migrate(deps.db, migrations, deps.clock.now());
  await deps.keys.ensureActiveKey();
  return { operator: await ensureOperatorCredential(deps) };
}

async function ensureOperatorCredential(deps: Deps): Promise<{ clientId: string; secret: string } | undefined> {
  const { db, clock, config } = deps;
  if (config.OPERATOR_CLIENT_ID && config.OPERATOR_CLIENT_SECRET) {
    // The configured credential wins: created if absent, its hash updated (and un-revoked) if the secret changed.
    const secretHash = sha256Hex(config.OPERATOR_CLIENT_SECRET);
    const { row } = await newCredential(null, [operatorScope], clock.now(), {
      clientId: config.OPERATOR_CLIENT_ID,
      secret: config.OPERATOR_CLIENT_SECRET,
    });
    await db
      .insert(credentials)
      .values(row)
      .onConflictDoUpdate({
        target: credentials.clientId,
        set: { secretHash, revokedAt: null, partnerId: null, scopes: operatorScope },
      });
    return undefined;
  }
  const existing = await db
    .select({ clientId: credentials.clientId })
    .from(credentials)
    .where(and(isNull(credentials.partnerId), isNull(credentials.revokedAt), eq(credentials.scopes, operatorScope)))
    .get();
  if (existing) return undefined;
  const { row, secret } = await newCredential(null, [operatorScope], clock.now());
  await db.insert(credentials).values(row);
  return { clientId: row.clientId, secret };
}
