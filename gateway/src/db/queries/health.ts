import { sql } from "drizzle-orm";
import type { Db } from "../client";

/** The cheapest statement that needs the database to answer: what `GET /health` and start-up wait for. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.run(sql`select 1`);
}
