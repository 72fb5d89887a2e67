import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { D1Database } from "@cloudflare/workers-types";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createWorker, type WorkerEnv } from "../../gateway/src/worker";
import { losesConnection, read } from "./support";

// Each createWorker() is what one isolate holds: its own memoised deps.
async function send(worker: ReturnType<typeof createWorker>, bindings: WorkerEnv, path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://gateway.test${path}`, init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return read(response);
}

/** Every console.log line, as text, while a test runs. */
function captureConsole() {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  return () => spy.mock.calls.map((args) => args.map(String).join(" "));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("starting the Worker", () => {
  it("answers a bad setting with 500 problem+json naming the variable, and logs it once", async () => {
    const lines = captureConsole();
    const worker = createWorker();
    const bindings = { ...env, OPERATOR_CLIENT_SECRET: "too-short" };
    const first = await send(worker, bindings, "/v1/partners");
    const second = await send(worker, bindings, "/nope");
    for (const answer of [first, second]) {
      expect(answer.status).toBe(500);
      expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(answer.body.code).toBe("internal_error");
      expect(answer.body.detail).toContain("OPERATOR_CLIENT_SECRET: must be at least 24 characters");
      expect(answer.body.request_id).toBe(answer.headers.get("Request-Id"));
    }
    expect(first.text).not.toContain("too-short");
    const logged = lines().filter((line) => line.includes("gateway failed to start"));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("OPERATOR_CLIENT_SECRET");
  });

  it("refuses a file: DATABASE_URL, which only the Node entry can open", async () => {
    captureConsole();
    const answer = await send(createWorker(), { ...env, DATABASE_URL: "file:./data/gateway.db" }, "/nope");
    expect(answer.status).toBe(500);
    expect(answer.body.detail).toContain("DATABASE_URL: on Workers must be a libsql:// or https:// URL");
  });

  it("names the missing D1 binding when there is no database at all", async () => {
    captureConsole();
    const answer = await send(createWorker(), { ...env, DB: undefined }, "/nope");
    expect(answer.status).toBe(500);
    expect(answer.body.detail).toContain("DB: no D1 binding named DB and no DATABASE_URL");
  });

  it("answers a migration the database refuses with 500 naming it and the database's error, and starts once the database is repaired", async () => {
    const lines = captureConsole();
    const db = env.REFUSED_DB as D1Database;
    // A table of the first migration, made outside the migrations: what a database migrated from other files
    // (or by hand) looks like. Nothing records the migration, and its SQL cannot run.
    await db.prepare("CREATE TABLE `signing_keys` (`kid` text PRIMARY KEY NOT NULL)").run();
    const worker = createWorker();
    const bindings = { ...env, DB: db };

    const refused = await send(worker, bindings, "/health");
    expect(refused.status).toBe(500);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: "urn:coalition-gateway:problem:internal_error",
      code: "internal_error",
      status: 500,
      request_id: refused.headers.get("Request-Id"),
    });
    expect(refused.body.detail).toContain("migration 0000_init failed");
    expect(refused.body.detail).toContain("table `signing_keys` already exists");
    expect(refused.body.detail).not.toContain("try again");
    expect(lines().filter((line) => line.includes("gateway failed to start"))).toHaveLength(1);

    // The database can be repaired without a new isolate: the next request starts the gateway.
    await db.prepare("DROP TABLE `signing_keys`").run();
    expect((await send(worker, bindings, "/health")).status).toBe(200);
  });

  it("answers 503 'try again shortly' while the database does not answer, and starts once it does", async () => {
    captureConsole();
    const worker = createWorker();
    const down = await send(worker, { ...env, DB: losesConnection(env.DB as D1Database) }, "/health");
    expect(down.status).toBe(503);
    expect(down.body.code).toBe("service_unavailable");
    expect(down.body.detail).toContain("try again shortly");
    expect(down.text).not.toContain("Network connection lost");
    expect((await send(worker, env, "/health")).status).toBe(200);
  });

  it("builds the deps once per isolate: only the first request runs the migrator", async () => {
    const db = env.DB as D1Database;
    const statements: string[] = [];
    const counted = new Proxy(db, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (property === "prepare")
          return (query: string) => {
            statements.push(query);
            return target.prepare(query);
          };
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const worker = createWorker();
    const first = await send(worker, { ...env, DB: counted }, "/nope");
    expect(first.status).toBe(404);
    const migratorStatements = (from: number) =>
      statements.slice(from).filter((query) => query.includes("__migrations"));
    expect(migratorStatements(0).length).toBeGreaterThan(0);
    const before = statements.length;
    const second = await send(worker, { ...env, DB: counted }, "/nope");
    expect(second.status).toBe(404);
    expect(migratorStatements(before)).toEqual([]);
  });

  it("creates and prints an operator credential once when none is configured, and that credential signs in", async () => {
    const lines = captureConsole();
    const bindings = {
      ...env,
      DB: env.EMPTY_DB as D1Database,
      OPERATOR_CLIENT_ID: undefined,
      OPERATOR_CLIENT_SECRET: undefined,
    };
    const worker = createWorker();
    await send(worker, bindings, "/nope");
    await send(worker, bindings, "/nope");
    const notices = lines().filter((line) => line.includes("Operator credential created"));
    expect(notices).toHaveLength(1);
    const clientId = /OPERATOR_CLIENT_ID=(\S+)/.exec(notices[0] ?? "")?.[1];
    const secret = /OPERATOR_CLIENT_SECRET=(\S+)/.exec(notices[0] ?? "")?.[1];
    if (!clientId || !secret) throw new Error(`no credential in the notice: ${notices[0]}`);

    const token = await send(worker, bindings, "/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
    });
    expect(token.status).toBe(200);
    expect(token.body.scope).toContain("operator");

    // Another isolate on the same database finds the credential and prints nothing.
    await send(createWorker(), bindings, "/nope");
    expect(lines().filter((line) => line.includes("Operator credential created"))).toHaveLength(1);
  });

  it("runs a cron event: builds the deps, logs the run and runs the scheduled jobs", async () => {
    const lines = captureConsole();
    const worker = createWorker();
    const ctx = createExecutionContext();
    const scheduledTime = Date.parse("2026-11-23T12:00:00.000Z");
    await worker.scheduled(
      createScheduledController({ cron: "* * * * *", scheduledTime }),
      { ...env, LOG_LEVEL: "info" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const runs = lines()
      .filter((line) => line.includes('"scheduled run"'))
      .map((line) => JSON.parse(line));
    expect(runs).toEqual([
      expect.objectContaining({
        level: "info",
        cron: "* * * * *",
        scheduled_time: "2026-11-23T12:00:00.000Z",
      }),
    ]);
    const jobs = lines()
      .filter((line) => line.includes('"scheduled jobs"'))
      .map((line) => JSON.parse(line));
    expect(jobs).toEqual([
      expect.objectContaining({ expiry: { expired_points: 0, members: 0 }, idempotency_keys: { deleted: 0 } }),
    ]);
  });
});
