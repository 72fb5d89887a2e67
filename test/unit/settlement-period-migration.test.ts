import { afterEach, describe, expect, it } from "vitest";
import { openLibsql } from "../../gateway/src/db/libsql";
import { migrate } from "../../gateway/src/db/migrate";
import { listPeriodMovements } from "../../gateway/src/db/queries/settlement-movements";
import { isPeriodIssued } from "../../gateway/src/db/queries/settlements";
import type { SqlReader } from "../../gateway/src/db/reader";
import { migrations } from "../../migrations";

/** Migration 0024: the index a close across databases sums each period's movements by, and old periods issued. */
describe("migration 0024 settlement_period_index", () => {
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });

  async function database() {
    const handle = await openLibsql(":memory:");
    opened.push(handle.close);
    return handle;
  }

  it("counts every period closed before it as issued, one with no statement too", async () => {
    const { db, client } = await database();
    await migrate(
      db,
      migrations.filter((migration) => migration.tag < "0024"),
      new Date(),
    );
    // A period a one-database close wrote before statement_issues was written by every close: no statement.
    await client.execute({
      sql: `insert into settlement_periods (id, start, end, previous_period_id, closed_by, created_at)
            values ('stp_old', 0, 1000, 'none', 'operator', 2000)`,
      args: [],
    });
    expect(await isPeriodIssued(db, "stp_old")).toBe(false);

    await migrate(db, migrations, new Date());
    expect(await isPeriodIssued(db, "stp_old")).toBe(true);
  });

  it("reads a period's movements through its index, not a scan of the journal", async () => {
    const { db, client, reader } = await database();
    await migrate(db, migrations, new Date());
    const queries: string[] = [];
    const recording: SqlReader = {
      all: (sql, args) => {
        queries.push(sql);
        return reader.all(sql, args);
      },
      first: (sql, args) => reader.first(sql, args),
    };
    await listPeriodMovements(recording, "stp_1");
    expect(queries).toHaveLength(1);
    const plan = await client.execute({ sql: `explain query plan ${queries[0]}`, args: ["stp_1"] });
    const details = plan.rows.map((row) => String(row.detail));
    expect(details.some((detail) => detail.includes("USING INDEX ledger_transactions_settled_by"))).toBe(true);
    expect(details.some((detail) => /^SCAN t\b/.test(detail))).toBe(false);
  });
});
