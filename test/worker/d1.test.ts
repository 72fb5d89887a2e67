import { env } from "cloudflare:workers";
import type { D1Database } from "@cloudflare/workers-types";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openD1 } from "../../gateway/src/db/d1";
import { migrate } from "../../gateway/src/db/migrate";
import { partners } from "../../gateway/src/db/schema";
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
