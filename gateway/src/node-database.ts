import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Config } from "./config";
import { openLibsql } from "./db/libsql";
import { pingDatabase } from "./db/queries/health";
import { parseShardSettings } from "./db/shards/router";
import { rootMessage, StartError } from "./start-error";

/** DATABASE_URL as logs and messages show it: without the query string, which may carry an auth token. */
export const shownDatabaseUrl = (url: string) => url.replace(/\?.*/, "");

type NodeDatabase = Awaited<ReturnType<typeof openLibsql>>;

/**
 * Opens the configured database on Node (the entry and the npm scripts) and asks it one query, so that an
 * unknown host, a refused connection, a bad token or an unopenable file stops start-up here, as a one-line
 * StartError, rather than as a driver's stack trace from the first migration.
 */
export function openNodeDatabase(config: Config): Promise<NodeDatabase> {
  return openChecked(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN, "DATABASE_URL");
}

/**
 * The further databases of DATABASE_SHARDS, by name, each opened and asked as DATABASE_URL is; none without the
 * setting. Those opened before one that fails are closed again.
 */
export async function openNodeShards(config: Config): Promise<Map<string, NodeDatabase>> {
  const opened = new Map<string, NodeDatabase>();
  try {
    for (const [name, url] of parseShardSettings(config.DATABASE_SHARDS))
      opened.set(name, await openChecked(url, config.DATABASE_AUTH_TOKEN, `DATABASE_SHARDS, ${name}`));
  } catch (error) {
    await Promise.all([...opened.values()].map((database) => database.close()));
    throw error;
  }
  return opened;
}

async function openChecked(url: string, authToken: string | undefined, setting: string): Promise<NodeDatabase> {
  try {
    if (url.startsWith("file:")) mkdirSync(dirname(url.slice("file:".length)), { recursive: true });
    const database = await openLibsql(url, authToken);
    await pingDatabase(database.db);
    return database;
  } catch (error) {
    throw new StartError(`Cannot open the database ${shownDatabaseUrl(url)} (${setting}): ${rootMessage(error)}`);
  }
}
