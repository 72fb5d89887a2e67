import { afterEach, describe, expect, it } from "vitest";
import { openLibsql } from "../../gateway/src/db/libsql";
import { migrate } from "../../gateway/src/db/migrate";
import { insertPlacementStatement } from "../../gateway/src/db/queries/program-placements";
import type { SqlReader } from "../../gateway/src/db/reader";
import { mainDatabase, parseShardSettings, ShardRouter } from "../../gateway/src/db/shards/router";
import { migrations } from "../../migrations";

describe("DATABASE_SHARDS", () => {
  it("is empty when unset or blank: the single-database deployment", () => {
    expect(parseShardSettings(undefined).size).toBe(0);
    expect(parseShardSettings(" ").size).toBe(0);
  });

  it("names databases by name=url pairs", () => {
    expect([...parseShardSettings("eu1=libsql://eu1.turso.io, eu2=file:/tmp/eu2.db")]).toEqual([
      ["eu1", "libsql://eu1.turso.io"],
      ["eu2", "file:/tmp/eu2.db"],
    ]);
  });

  it.each([
    ["eu1", /not name=url/],
    ["=libsql://x", /not name=url/],
    ["eu1=", /not name=url/],
    ["EU1=libsql://x", /must be 1-32/],
    ["main=libsql://x", /DATABASE_URL's name/],
    ["eu1=libsql://x,eu1=libsql://y", /named twice/],
  ])("refuses %s", (value, message) => {
    expect(() => parseShardSettings(value)).toThrow(message);
  });
});

describe("ShardRouter", () => {
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });

  async function directory() {
    const database = await openLibsql(":memory:");
    opened.push(database.close);
    await migrate(database.db, migrations, new Date());
    return database;
  }

  const counting = (reader: SqlReader) => {
    const reads = { count: 0 };
    const wrapped: SqlReader = {
      all: (sql, args) => {
        reads.count++;
        return reader.all(sql, args);
      },
      first: (sql, args) => {
        reads.count++;
        return reader.first(sql, args);
      },
    };
    return { reads, wrapped };
  };

  it("sends every program to the one database without reading anything", async () => {
    const { reader } = await directory();
    const { reads, wrapped } = counting(reader);
    const router = new ShardRouter(new Map([[mainDatabase, "one"]]), wrapped);
    expect(await router.databaseFor("prg_a")).toBe("one");
    expect(await router.sameDatabase("prg_a", "prg_b")).toBe(true);
    expect(reads.count).toBe(0);
  });

  it("follows the directory's placements, a program without one on the default database", async () => {
    const { reader, writer } = await directory();
    await writer.write([
      insertPlacementStatement("prg_a", "eu1", new Date()),
      insertPlacementStatement("prg_b", "eu2", new Date()),
    ]);
    const { reads, wrapped } = counting(reader);
    const router = new ShardRouter(
      new Map([
        [mainDatabase, "main db"],
        ["eu1", "eu1 db"],
        ["eu2", "eu2 db"],
      ]),
      wrapped,
    );
    expect(await router.databaseFor("prg_a")).toBe("eu1 db");
    expect(await router.databaseFor("prg_b")).toBe("eu2 db");
    expect(await router.databaseFor("prg_legacy")).toBe("main db");
    expect(await router.sameDatabase("prg_a", "prg_b")).toBe(false);
    expect(await router.sameDatabase("prg_a", "prg_a")).toBe(true);
    expect(router.names()).toEqual([mainDatabase, "eu1", "eu2"]);
    // prg_a and prg_b were kept after their first read; prg_legacy, unknown to the directory, is read each time
    // (it may be created and placed later).
    const before = reads.count;
    await router.databaseFor("prg_a");
    await router.databaseFor("prg_b");
    expect(reads.count).toBe(before);
    await router.databaseFor("prg_legacy");
    expect(reads.count).toBe(before + 1);
  });

  it("reads a program on the default database once: an existing program never gets a placement later", async () => {
    const { reader, writer } = await directory();
    const at = Date.now();
    await writer.write([
      {
        sql: "insert into partners (id, name, contact_email, created_at) values ('ptn_a', 'A', 'a@example.com', ?)",
        args: [at],
      },
      {
        sql: `insert into programs (id, partner_id, name, point_name, settlement_currency, issue_price_micros,
                redeem_price_micros, created_at) values ('prg_home', 'ptn_a', 'Home', 'point', 'USD', 1, 1, ?)`,
        args: [at],
      },
    ]);
    const { reads, wrapped } = counting(reader);
    const router = new ShardRouter(
      new Map([
        [mainDatabase, "main db"],
        ["eu1", "eu1 db"],
      ]),
      wrapped,
    );
    expect(await router.databaseFor("prg_home")).toBe("main db");
    expect(await router.sameDatabase("prg_home", "prg_home")).toBe(true);
    expect(await router.databaseFor("prg_home")).toBe("main db");
    expect(reads.count).toBe(1);
  });

  it("refuses a placement on a database that is not configured", async () => {
    const { reader, writer } = await directory();
    await writer.write([insertPlacementStatement("prg_a", "gone", new Date())]);
    const router = new ShardRouter(
      new Map([
        [mainDatabase, 1],
        ["eu1", 2],
      ]),
      reader,
    );
    await expect(router.databaseFor("prg_a")).rejects.toThrow(/placed on database "gone"/);
  });
});
