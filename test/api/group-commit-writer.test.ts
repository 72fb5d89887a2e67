import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NativeDatabase } from "../../gateway/src/db/native";
import { GroupCommitWriter } from "../../gateway/src/db/threaded-writer";
import { ConstraintViolation } from "../../gateway/src/db/writer";

let dir: string;
let writer: GroupCommitWriter;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "group-commit-"));
  const path = join(dir, "db.sqlite");
  const setup = new NativeDatabase(path);
  setup.db.exec("create table t (id integer primary key, n integer not null check (n >= 0))");
  setup.close();
  writer = new GroupCommitWriter(path);
});
afterAll(async () => {
  await writer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the embedded file's group-commit writer (db/threaded-writer.ts, db/group-commit-thread.ts)", () => {
  it("answers every unit of one turn with its own rows, a refused unit alone refused, in one commit", async () => {
    const before = { ...writer.stats };
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        writer.write([
          { sql: "insert into t (id, n) values (?, ?)", args: [i + 1, i === 7 ? -1 : i] },
          { sql: "select n * 2 as twice from t where id = ?", args: [i + 1] },
        ]),
      ),
    );
    results.forEach((result, i) => {
      if (i === 7) {
        expect(result.status).toBe("rejected");
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ConstraintViolation);
      } else expect(result).toEqual({ status: "fulfilled", value: [[], [{ twice: i * 2 }]] });
    });
    expect(writer.stats.units - before.units).toBe(49);
    expect(writer.stats.commits - before.commits).toBe(1);
  });

  it("names SQL texts by number across the threads and starts afresh past 5,000 texts, queued units unharmed", async () => {
    // 6,000 different texts, written 300 to a turn of the event loop, so the reset falls between queued units.
    const answers: Promise<unknown>[] = [];
    for (let i = 0; i < 6000; i++) {
      answers.push(writer.write([{ sql: `select ? + ${i} as n`, args: [1] }]));
      if (i % 300 === 299) await new Promise((resolve) => setImmediate(resolve));
    }
    const rows = await Promise.all(answers);
    expect(rows).toEqual(Array.from({ length: 6000 }, (_, i) => [[{ n: i + 1 }]]));
    // And a text known before the reset is sent again after it.
    expect(await writer.write([{ sql: "select n from t where id = ?", args: [2] }])).toEqual([[{ n: 1 }]]);
  });
});

describe("closing the group-commit writer", () => {
  it("answers every unit queued before close() with its commit, none with 'the thread exited'", async () => {
    const path = join(dir, "close.sqlite");
    const setup = new NativeDatabase(path);
    setup.db.exec("create table t (id integer primary key)");
    setup.close();
    const closing = new GroupCommitWriter(path);
    const writes = Array.from({ length: 20 }, (_, i) =>
      closing.write([{ sql: "insert into t (id) values (?) returning id", args: [i + 1] }]),
    );
    await closing.close();
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 20 }, (_, i) => [[{ id: i + 1 }]]));
    const check = new NativeDatabase(path);
    expect(await check.all("select count(*) as n from t")).toEqual([{ n: 20 }]);
    check.close();
  });
});
