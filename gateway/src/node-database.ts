import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Config } from "./config";
import { openLibsql } from "./db/libsql";
import { pingDatabase } from "./db/queries/health";
import { rootMessage, StartError } from "./start-error";

/** DATABASE_URL as logs and messages show it: without the query string, which may carry an auth token. */
export const shownDatabaseUrl = (url: string) => url.replace(/\?.*/, "");

/**
 * Opens the configured database on Node (the entry and the npm scripts) and asks it one query, so that an
 * unknown host, a refused connection, a bad token or an unopenable file stops start-up here, as a one-line
 * StartError, rather than as a driver's stack trace from the first migration.
 */
export async function openNodeDatabase(config: Config): ReturnType<typeof openLibsql> {
  const url = config.DATABASE_URL;
  try {
    if (url.startsWith("file:")) mkdirSync(dirname(url.slice("file:".length)), { recursive: true });
    const database = await openLibsql(url, config.DATABASE_AUTH_TOKEN);
    await pingDatabase(database.db);
    return database;
  } catch (error) {
    throw new StartError(`Cannot open the database ${shownDatabaseUrl(url)} (DATABASE_URL): ${rootMessage(error)}`);
  }
}
