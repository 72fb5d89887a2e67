import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { D1Database } from "@cloudflare/workers-types";
import { describe, expect, it } from "vitest";
import { openD1 } from "../../gateway/src/db/d1";
import { MigrationError, migrate } from "../../gateway/src/db/migrate";
import { createWorker } from "../../gateway/src/worker";
import { migrations } from "../../migrations";
import { callThrough, losesConnection, operator } from "./support";

// `wrangler d1 migrations apply` and the Worker's own migrator (gateway/src/db/migrate.ts) on the same D1
// database, in either order. Each test has a fresh database of its own (vitest.config.mts).

/** migrations/*.sql as wrangler reads them (wrangler.toml's migrations_dir), by vitest.config.mts. */
const wranglerMigrations = env.WRANGLER_MIGRATIONS as D1Migration[];
const files = migrations.map((migration) => `${migration.tag}.sql`);
const tags = migrations.map((migration) => migration.tag);

function database(binding: string): D1Database {
  const db = env[binding];
  if (!db) throw new Error(`no D1 binding ${binding} in the worker test environment`);
  return db as D1Database;
}

/** What `wrangler d1 migrations apply` does: it throws if it applies a migration whose tables exist. */
const wranglerApply = (db: D1Database, which = wranglerMigrations) => applyD1Migrations(db, which);

/** The rows of wrangler's d1_migrations (in the order applied) and of the gateway's __migrations. */
async function recorded(db: D1Database) {
  const wrangler = await db
    .prepare("select id, name from d1_migrations order by id")
    .all<{ id: number; name: string }>();
  const gateway = await db.prepare("select tag from __migrations order by tag").all<{ tag: string }>();
  return { wrangler: wrangler.results, gateway: gateway.results.map((row) => row.tag) };
}

/** A new isolate of the Worker on `db` answers /health, signs the operator in and serves an operator route. */
async function expectServes(db: D1Database) {
  const call = callThrough(createWorker(), { ...env, DB: db });
  const health = await call("GET", "/health");
  expect([health.status, health.body?.database]).toEqual([200, "ok"]);
  const token = await call("POST", "/oauth/token", {
    form: { grant_type: "client_credentials", client_id: operator.clientId, client_secret: operator.secret },
  });
  expect(token.status).toBe(200);
  const partners = await call("GET", "/v1/partners", { token: token.body.access_token });
  expect(partners.status).toBe(200);
}

describe("wrangler d1 migrations apply and the Worker's migrator", () => {
  it("read the same files: wrangler names each migration by its file, migrations/<tag>.sql", () => {
    expect(wranglerMigrations.map((migration) => migration.name)).toEqual(files);
  });

  it("the Worker serves a database wrangler migrated first, and records wrangler's migrations as its own", async () => {
    const db = database("WRANGLER_FIRST_DB");
    await wranglerApply(db);
    const byWrangler = (await db.prepare("select id, name from d1_migrations order by id").all()).results;

    await expectServes(db);
    expect(await recorded(db)).toEqual({ wrangler: byWrangler, gateway: tags });
    await wranglerApply(db);
    expect((await recorded(db)).wrangler).toEqual(byWrangler);
  });

  it("wrangler finds nothing to apply on a database the Worker migrated first", async () => {
    const db = database("WORKER_FIRST_DB");
    await expectServes(db);
    const { wrangler, gateway } = await recorded(db);
    expect(wrangler.map((row) => row.name)).toEqual(files);
    expect(gateway).toEqual(tags);

    await wranglerApply(db);
    expect((await recorded(db)).wrangler).toEqual(wrangler);
    await expectServes(db);
  });

  it("the Worker applies what wrangler has not yet, and records it for wrangler", async () => {
    const db = database("PART_WRANGLER_DB");
    await wranglerApply(db, wranglerMigrations.slice(0, 3));
    await expectServes(db);
    const { wrangler, gateway } = await recorded(db);
    expect(wrangler.map((row) => row.name)).toEqual(files);
    expect(gateway).toEqual(tags);
    await wranglerApply(db);
    expect((await recorded(db)).wrangler).toEqual(wrangler);
  });

  it("a database an older gateway migrated (only __migrations) gets wrangler's records on the Worker's next start", async () => {
    const db = database("OLD_GATEWAY_DB");
    await migrate(openD1(db), migrations, new Date());
    await db.prepare("drop table d1_migrations").run();
    // Until then wrangler sees nothing applied and fails on the first existing table.
    await expect(wranglerApply(db)).rejects.toThrow(/already exists/);

    await expectServes(db);
    expect((await recorded(db)).wrangler.map((row) => row.name)).toEqual(files);
    await wranglerApply(db);
    await expectServes(db);
  });
});

describe("the migrator when a migration fails", () => {
  const db = database("SCRATCH_DB");
  /** A migration of its own for each test, so the tests share SCRATCH_DB without seeing each other. */
  const scratch = () => {
    const tag = `9000_scratch_${crypto.randomUUID().replaceAll("-", "")}`;
    return { tag, table: `t_${tag}` };
  };

  it("counts a migration that wrangler applied between the check and the batch, and copies the record", async () => {
    const { tag, table } = scratch();
    const migration = { tag, sql: `CREATE TABLE \`${table}\` (\`id\` integer PRIMARY KEY)` };
    let batches = 0;
    // wrangler applies it just before the migrator's batch of this migration (its second batch) reaches D1.
    const racing = new Proxy(db, {
      get(target, property) {
        if (property === "batch")
          return async (statements: Parameters<D1Database["batch"]>[0]) => {
            if (batches++ === 1) await wranglerApply(target, [{ name: `${tag}.sql`, queries: [migration.sql] }]);
            return target.batch(statements);
          };
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });

    expect(await migrate(openD1(racing), [migration], new Date())).toEqual([]);
    expect(await migrate(openD1(db), [migration], new Date())).toEqual([]);
    const { wrangler, gateway } = await recorded(db);
    expect(wrangler.filter((row) => row.name === `${tag}.sql`)).toHaveLength(1);
    expect(gateway).toContain(tag);
  });

  it("throws a MigrationError with the database's message when it refuses the SQL, and applies and records nothing", async () => {
    const { tag, table } = scratch();
    const create = `CREATE TABLE \`${table}\` (\`id\` integer PRIMARY KEY)`;
    const migration = { tag, sql: `${create};\n--> statement-breakpoint\n${create};` };

    const failure = await migrate(openD1(db), [migration], new Date()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(String((failure as Error).message)).toMatch(new RegExp(`^migration ${tag} failed: .*already exists`));
    const tables = await db.prepare("select name from sqlite_master where name = ?").bind(table).all();
    expect(tables.results).toEqual([]);
    const { wrangler, gateway } = await recorded(db);
    expect(wrangler.map((row) => row.name)).not.toContain(`${tag}.sql`);
    expect(gateway).not.toContain(tag);
  });

  it("rethrows the connection's error, not a MigrationError, when the database stops answering mid-migration", async () => {
    const { tag, table } = scratch();
    const migration = { tag, sql: `CREATE TABLE \`${table}\` (\`id\` integer PRIMARY KEY)` };
    // The first batch (the bookkeeping tables) is answered; the migration's batch and the check after it are not.
    const failure = await migrate(openD1(losesConnection(db, 1)), [migration], new Date()).catch(
      (error: unknown) => error,
    );
    expect(failure).not.toBeInstanceOf(MigrationError);
    // drizzle wraps the failed check's error ("Failed query: ...") with the driver's as its cause.
    expect(String((failure as Error).cause)).toContain("Network connection lost");
  });
});
