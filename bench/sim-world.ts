/**
 * The simulation's world (bench/sim.ts): N shards, each an embedded libSQL file with the real migrations, copied from
 * one migrated template per run so a seed costs a file copy, not 21 migrations. The first shard is also the
 * directory, whose program_placements route programs through the real ShardRouter. Every shard's reader and writer
 * pass through a fault switch: while a shard is down its reads and writes fail, and a write may be made to commit and
 * then fail (its answer lost), as a network would.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { openLibsql } from "../gateway/src/db/libsql";
import { migrate } from "../gateway/src/db/migrate";
import { insertPlacementStatement } from "../gateway/src/db/queries/program-placements";
import { libsqlReader, type SqlReader } from "../gateway/src/db/reader";
import { mainDatabase, ShardRouter } from "../gateway/src/db/shards/router";
import { type AtomicWriter, libsqlWriter } from "../gateway/src/db/writer";
import type { ShardDatabase } from "../gateway/src/domain/shards/saga";
import type { IdPrefix, NewId } from "../gateway/src/ids";
import { migrations } from "../migrations";
import { partnerId } from "./sim-movements";

export { partnerId, plainMovement } from "./sim-movements";

export const epoch = Date.UTC(2026, 0, 1);

/** A shard as the simulation holds it: its name, its faulty database, and the switches of its faults. */
export type SimShard = {
  name: string;
  database: ShardDatabase;
  client: Client;
  programs: string[];
  /** While true every read and write fails. */
  down: boolean;
  /** The chance that a write commits and then fails as if its answer were lost. */
  lostAnswers: number;
};

export class ShardUnavailable extends Error {
  constructor(name: string) {
    super(`shard ${name} is unavailable`);
    this.name = "ShardUnavailable";
  }
}

/** Migrates one template file for a whole run. */
export async function migratedTemplate(): Promise<{ path: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "gateway-sim-template-"));
  const path = join(dir, "template.db");
  const database = await openLibsql(`file:${path}`);
  await migrate(database.db, migrations, new Date(epoch));
  await database.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  await database.close();
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function faulty(shard: SimShard, reader: SqlReader, writer: AtomicWriter, random: () => number): ShardDatabase {
  const up = () => {
    if (shard.down) throw new ShardUnavailable(shard.name);
  };
  return {
    reader: {
      all: async (sql, args) => {
        up();
        return reader.all(sql, args);
      },
      first: async (sql, args) => {
        up();
        return reader.first(sql, args);
      },
    },
    writer: {
      async write(statements) {
        up();
        const rows = await writer.write(statements);
        if (random() < shard.lostAnswers) throw new ShardUnavailable(shard.name);
        return rows;
      },
    },
  };
}

/** Ids that sort by creation, like the gateway's ULIDs, and repeat exactly for a seed. */
export function sequentialIds(): NewId {
  let next = 0;
  return (prefix: IdPrefix) => `${prefix}_${String(++next).padStart(10, "0")}`;
}

export type World = {
  shards: SimShard[];
  router: ShardRouter<SimShard>;
  members: Map<string, string[]>;
  close: () => Promise<void>;
};

/**
 * Opens `shardCount` shards from the template, each with `programsPerShard` programs of `membersPerProgram` members
 * (fixture rows written directly: the simulation is about the ledger, not enrolment), and places the programs.
 * Synchronous=OFF: the simulation crashes logically (it drops its in-memory state), never the machine, so fsyncs
 * would only slow it.
 */
export async function openWorld(
  template: string,
  options: { shardCount: number; programsPerShard: number; membersPerProgram: number },
  random: () => number,
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "gateway-sim-"));
  const shards: SimShard[] = [];
  const members = new Map<string, string[]>();
  for (let s = 0; s < options.shardCount; s++) {
    const path = join(dir, `shard-${s}.db`);
    copyFileSync(template, path);
    const client = createClient({ url: `file:${path}`, intMode: "number" });
    for (const pragma of ["journal_mode = WAL", "synchronous = OFF", "foreign_keys = ON"])
      await client.execute(`PRAGMA ${pragma}`);
    const shard: SimShard = {
      name: s === 0 ? mainDatabase : `shard${s}`,
      client,
      programs: [],
      down: false,
      lostAnswers: 0,
      database: undefined as unknown as ShardDatabase,
    };
    shard.database = faulty(shard, libsqlReader(client), libsqlWriter(client), random);
    await client.execute({
      sql: "insert into partners (id, name, contact_email, created_at) values (?, 'Sim', 'sim@example.com', ?)",
      args: [partnerId, epoch],
    });
    for (let p = 0; p < options.programsPerShard; p++) {
      const programId = `prg_s${s}p${p}`;
      shard.programs.push(programId);
      await client.execute({
        sql: `insert into programs (id, partner_id, name, point_name, settlement_currency, issue_price_micros,
                redeem_price_micros, created_at) values (?, ?, ?, 'points', 'USD', 10000, 10000, ?)`,
        args: [programId, partnerId, programId, epoch],
      });
      const ids = Array.from({ length: options.membersPerProgram }, (_, m) => `mem_s${s}p${p}m${m}`);
      members.set(programId, ids);
      for (const id of ids)
        await client.execute({
          sql: "insert into members (id, program_id, external_id, enrolled_by, created_at) values (?, ?, ?, ?, ?)",
          args: [id, programId, id, partnerId, epoch],
        });
    }
    shards.push(shard);
  }
  const main = shards[0] as SimShard;
  await main.client.batch(
    shards.flatMap((shard) =>
      shard.programs.map((programId) => insertPlacementStatement(programId, shard.name, new Date(epoch))),
    ),
    "write",
  );
  const router = new ShardRouter(new Map(shards.map((shard) => [shard.name, shard])), libsqlReader(main.client));
  return {
    shards,
    router,
    members,
    close: async () => {
      for (const shard of shards) shard.client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Erases a member, as the privacy flow would: the destination then refuses credits to it. */
export async function eraseMember(shard: SimShard, memberId: string, at: Date): Promise<void> {
  await shard.client.execute({ sql: "update members set erased_at = ? where id = ?", args: [at.getTime(), memberId] });
}
