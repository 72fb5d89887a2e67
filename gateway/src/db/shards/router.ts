import { findPlacement } from "../queries/program-placements";
import type { SqlReader } from "../reader";

/** The default database's name: `DATABASE_URL` (or the D1 binding `DB`), the directory and the default shard. */
export const mainDatabase = "main";

const shardName = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * Reads `DATABASE_SHARDS` (docs/scale-out.md): further databases as `name=url` pairs separated by commas, such as
 * `eu1=libsql://eu1-acme.turso.io,eu2=libsql://eu2-acme.turso.io`. Unset or empty: none, the single-database
 * deployment. Throws naming the setting and the faulty pair.
 */
export function parseShardSettings(value: string | undefined): Map<string, string> {
  const shards = new Map<string, string>();
  for (const pair of (value ?? "").split(",").map((part) => part.trim())) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const name = pair.slice(0, Math.max(at, 0)).trim();
    const url = pair.slice(at + 1).trim();
    if (at < 1 || !url) throw new Error(`DATABASE_SHARDS: ${JSON.stringify(pair)} is not name=url`);
    if (!shardName.test(name))
      throw new Error(`DATABASE_SHARDS: ${JSON.stringify(name)} must be 1-32 of a-z, 0-9, _ and -, starting a-z`);
    if (name === mainDatabase) throw new Error(`DATABASE_SHARDS: "${mainDatabase}" is DATABASE_URL's name`);
    if (shards.has(name)) throw new Error(`DATABASE_SHARDS: ${JSON.stringify(name)} is named twice`);
    shards.set(name, url);
  }
  return shards;
}

/**
 * Which database holds a program. With one database every program is there and nothing is read. With several, the
 * directory's `program_placements` says, and a program without a placement is on the default database. Placements
 * never change while the gateway runs (moving a program is an offline copy), and one is written in its program's
 * creating batch, so a program that exists without one never gets one: both are kept for good. A program the
 * directory does not hold is read again, since it may be created and placed later.
 */
export class ShardRouter<D> {
  private readonly placed = new Map<string, string>();

  constructor(
    private readonly databases: ReadonlyMap<string, D>,
    private readonly directory: SqlReader,
  ) {
    if (!databases.has(mainDatabase)) throw new Error(`the databases must include "${mainDatabase}"`);
  }

  /** The names of every configured database, the default first. */
  names(): string[] {
    return [...this.databases.keys()];
  }

  async nameFor(programId: string): Promise<string> {
    if (this.databases.size === 1) return mainDatabase;
    const known = this.placed.get(programId);
    if (known) return known;
    const found = await findPlacement(this.directory, programId);
    if (found === undefined) return mainDatabase;
    const placement = found ?? mainDatabase;
    if (!this.databases.has(placement))
      throw new Error(`program ${programId} is placed on database "${placement}", which DATABASE_SHARDS does not name`);
    this.placed.set(programId, placement);
    return placement;
  }

  async databaseFor(programId: string): Promise<D> {
    return this.database(await this.nameFor(programId));
  }

  database(name: string): D {
    const database = this.databases.get(name);
    if (database === undefined) throw new Error(`no database named "${name}"`);
    return database;
  }

  /** Whether two programs share a database, so that an operation between them stays one atomic write. */
  async sameDatabase(a: string, b: string): Promise<boolean> {
    return (await this.nameFor(a)) === (await this.nameFor(b));
  }
}
