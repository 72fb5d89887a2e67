import { env } from "cloudflare:workers";
import type { D1Database } from "@cloudflare/workers-types";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openD1 } from "../../gateway/src/db/d1";
import { migrate } from "../../gateway/src/db/migrate";
import { partners } from "../../gateway/src/db/schema";
import { ConstraintViolation, type D1Like, d1Writer } from "../../gateway/src/db/writer";
import { migrations } from "../../migrations";

const db = openD1(env.DB as D1Database);
const newId = () => `ptn_d1test_${crypto.randomUUID()}`;

beforeAll(async () => {
  await migrate(db, migrations, new Date());
});

describe("D1 through openD1 behaves like libSQL in a batch", () => {
  it("runs a raw statement with parameters next to query builders (drizzle-orm#2277)", async () => {
    const id = newId();
    const [, found, sum] = await db.batch([
      db.run(
        sql`insert into partners (id, name, contact_email, created_at) values (${id}, ${"Raw Co"}, ${"raw@example.com"}, ${Date.now()})`,
      ),
      db.query.partners.findFirst({ columns: { name: true, status: true }, where: eq(partners.id, id) }),
      db.all<{ n: number }>(sql`select ${2} + 1 as n`),
    ]);
    expect(found).toEqual({ name: "Raw Co", status: "active" });
    expect(sum).toEqual([{ n: 3 }]);
  });

  it("answers undefined for a findFirst or raw get that finds no row (drizzle-orm#2721)", async () => {
    const [missing, missingRaw, rows] = await db.batch([
      db.query.partners.findFirst({ where: eq(partners.id, newId()) }),
      db.get(sql`select id from partners where id = ${newId()}`),
      db.select().from(partners).where(eq(partners.id, newId())),
    ]);
    expect(missing).toBeUndefined();
    expect(missingRaw).toBeUndefined();
    expect(rows).toEqual([]);
  });

  it("applies nothing when one statement of the batch fails", async () => {
    const id = newId();
    const row = { id, name: "Twice", contactEmail: "twice@example.com", createdAt: new Date() };
    await expect(db.batch([db.insert(partners).values(row), db.insert(partners).values(row)])).rejects.toThrow(
      /UNIQUE constraint failed/,
    );
    expect(await db.select().from(partners).where(eq(partners.id, id)).get()).toBeUndefined();
  });

  it("finds the migrations applied and applies none twice", async () => {
    expect(await migrate(db, migrations, new Date())).toEqual([]);
    const tags = await db.all<{ tag: string }>(sql`select tag from __migrations order by tag`);
    expect(tags.map((row) => row.tag)).toEqual(migrations.map((migration) => migration.tag));
    // Also in wrangler's table, by file name, so `wrangler d1 migrations apply` finds nothing to apply.
    const files = await db.all<{ name: string }>(sql`select name from d1_migrations order by id`);
    expect(files.map((row) => row.name)).toEqual(migrations.map((migration) => `${migration.tag}.sql`));
  });
});

describe("d1Writer on D1's own errors and results", () => {
  const writer = () => d1Writer(env.DB as unknown as D1Like);
  const newKey = () => `key-${crypto.randomUUID()}`;

  it("turns D1's CHECK failure into ConstraintViolation and applies nothing of the batch", async () => {
    const id = `mem_writer_${crypto.randomUUID()}`;
    const error = await writer()
      .write([
        {
          sql: "insert into accounts (id, program_id, kind, member_id, balance) values (?, ?, 'member', ?, 0)",
          args: [id, `prg_writer_${crypto.randomUUID()}`, id],
        },
        { sql: "update accounts set balance = balance - 1 where id = ?", args: [id] },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolation);
    expect(error).toMatchObject({ kind: "check", constraint: "accounts_member_non_negative" });
    // D1 words it "D1_ERROR: CHECK constraint failed: <name>: SQLITE_CONSTRAINT (extended: ...)".
    expect(String((error as Error).cause)).toMatch(/CHECK constraint failed: accounts_member_non_negative/);
    expect(await db.all(sql`select id from accounts where id = ${id}`)).toEqual([]);
  });

  it("turns D1's primary-key failure into a unique ConstraintViolation naming the columns", async () => {
    const key = newKey();
    const insert = {
      sql: "insert into idempotency_keys (partner_id, key, request_hash, status_code, response_body, created_at) values (?, ?, 'h', 201, '{}', 0)",
      args: ["ptn_writer", key],
    };
    const error = await writer()
      .write([insert, insert])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unique", constraint: "idempotency_keys.partner_id, idempotency_keys.key" });
    expect(await db.all(sql`select key from idempotency_keys where key = ${key}`)).toEqual([]);
  });

  it("answers the rows of RETURNING and SELECT statements, json_set values typed", async () => {
    const key = newKey();
    const rows = await writer().write([
      {
        sql: "insert into idempotency_keys (partner_id, key, request_hash, status_code, response_body, created_at) values (?, ?, 'h', 201, json_set(?, '$.n', (select 41 + 1)), 5) returning key, status_code",
        args: ["ptn_writer", key, '{"n":0,"s":"x"}'],
      },
      { sql: "update accounts set balance = balance where id = ?", args: ["none"] },
      { sql: "select response_body as body from idempotency_keys where key = ?", args: [key] },
    ]);
    expect(rows).toEqual([[{ key, status_code: 201 }], [], [{ body: '{"n":42,"s":"x"}' }]]);
  });
});
