import { env } from "cloudflare:workers";
import type { D1Database } from "@cloudflare/workers-types";
import { describe, expect, it } from "vitest";
import { createWorker } from "../../gateway/src/worker";
import { callThrough, newKey, operator } from "./support";

// The Worker over two D1 databases (docs/scale-out.md): DB is main, the directory, and the binding DB_EU the shard
// `eu` (DATABASE_SHARDS=eu=d1:DB_EU), driven over HTTP as the runtime drives it.

const main = env.SHARDED_MAIN_DB as D1Database;
const eu = env.SHARDED_EU_DB as D1Database;
const unrelated = env.UNRELATED_DB as D1Database;
// DB_ANALYTICS is a D1 binding DATABASE_SHARDS does not name: not a shard, never migrated.
const send = callThrough(createWorker(), {
  ...env,
  DB: main,
  DB_EU: eu,
  DB_ANALYTICS: unrelated,
  DATABASE_SHARDS: "eu=d1:DB_EU",
});

const countIn = async (database: D1Database, sql: string, programId: string) =>
  (await database.prepare(sql).bind(programId).first<{ n: number }>())?.n;

describe("a Worker with D1 bindings DB and DB_EU, DATABASE_SHARDS=eu=d1:DB_EU", () => {
  it("places a program on eu, earns there and finds the transaction by id", async () => {
    const tokenOf = async (clientId: string, secret: string) =>
      (
        await send("POST", "/oauth/token", {
          form: { grant_type: "client_credentials", client_id: clientId, client_secret: secret },
        })
      ).body.access_token as string;
    const operatorToken = await tokenOf(operator.clientId, operator.secret);
    const partner = await send("POST", "/v1/partners", {
      token: operatorToken,
      body: { name: "Euro Rail", contact_email: "dev@rail.example" },
    });
    expect(partner.status, partner.text).toBe(201);
    const token = await tokenOf(partner.body.credentials.client_id, partner.body.credentials.client_secret);
    const program = await send("POST", "/v1/programs", {
      token: operatorToken,
      body: {
        partner_id: partner.body.id,
        name: "Rail Points",
        point_name: "point",
        settlement_currency: "EUR",
        issue_price_micros: 10_000,
        redeem_price_micros: 8_000,
        database: "eu",
      },
    });
    expect(program.status, program.text).toBe(201);
    const programId = program.body.id as string;

    const enrolled = await send("POST", `/v1/programs/${programId}/members`, { token, body: { external_id: "ana" } });
    expect(enrolled.status, enrolled.text).toBe(201);
    const earned = await send("POST", "/v1/transactions/earn", {
      token,
      headers: { "Idempotency-Key": newKey() },
      body: { program_id: programId, external_id: "ana", points: 120, reference: "ticket-1" },
    });
    expect(earned.status, earned.text).toBe(201);
    expect(earned.body.balance_after).toBe(120);

    const journal = "select count(*) as n from ledger_transactions where program_id = ?";
    expect(await countIn(eu, journal, programId)).toBe(1);
    expect(await countIn(main, journal, programId)).toBe(0);
    expect(await countIn(main, "select count(*) as n from program_placements where program_id = ?", programId)).toBe(1);

    const found = await send("GET", `/v1/transactions/${earned.body.id}`, { token });
    expect(found.status, found.text).toBe(200);
    expect(found.body).toMatchObject({ id: earned.body.id, program_id: programId, points: 120 });
    const member = await send("GET", `/v1/programs/${programId}/members/ana`, { token });
    expect(member.body.balance.available).toBe(120);
  });

  it("leaves a D1 binding DATABASE_SHARDS does not name alone", async () => {
    expect((await send("GET", "/health")).status).toBe(200);
    const tables = await unrelated.prepare("select name from sqlite_master where type = 'table'").all();
    expect(tables.results.map((row) => row.name)).not.toContain("programs");
  });

  it("refuses to start when DATABASE_SHARDS names a D1 binding that does not exist", async () => {
    const misnamed = callThrough(createWorker(), { ...env, DB: main, DATABASE_SHARDS: "eu=d1:DB_EUROPE" });
    const answer = await misnamed("GET", "/health");
    expect(answer.status).toBe(500);
    expect(answer.body.detail).toContain('DATABASE_SHARDS, eu: no D1 binding named "DB_EUROPE"');
  });
});
