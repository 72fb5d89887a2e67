import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { accessToken, startGateway } from "../support/node-process";

/**
 * A conversion between programs on two databases, against the Node entry as `npm start` runs it (DATABASE_URL and
 * DATABASE_SHARDS on two embedded files), killed with SIGKILL while its saga is in flight: after a restart the relay
 * finishes it, exactly once (docs/scale-out.md, section 3).
 */
describe("a conversion saga cut by a crash", () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const dir = mkdtempSync(join(tmpdir(), "gateway-saga-crash-"));
  const file = (name: string) => `file:${join(dir, name)}`;
  const operator = { OPERATOR_CLIENT_ID: "op_saga_crash", OPERATOR_CLIENT_SECRET: "saga-crash-operator-secret-0123" };
  const env = { DATABASE_URL: file("main.db"), DATABASE_SHARDS: `eu=${file("eu.db")}`, ...operator };

  function start() {
    const gateway = startGateway(env);
    cleanups.push(async () => {
      if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill("SIGKILL");
      await gateway.exited;
    });
    return gateway;
  }

  /** What one database file holds, read apart from the gateway. */
  function database(name: string): Client {
    const client = createClient({ url: file(name) });
    cleanups.push(() => client.close());
    return client;
  }
  const count = async (client: Client, sql: string, args: string[]) =>
    Number((await client.execute({ sql, args })).rows[0]?.n);

  it("finishes after a restart: debited once, credited once, and the retry answers the outcome", async () => {
    let gateway = start();
    let url = await gateway.listening();
    let key = 0;
    const call = async (method: string, path: string, token: string, body?: unknown, idempotencyKey?: string) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, text, body: JSON.parse(text) };
    };
    const ok = async (answer: Promise<{ status: number; text: string; body: any }>, status = 201) => {
      const { status: actual, text, body } = await answer;
      expect(actual, text).toBe(status);
      return body;
    };
    const token = async (clientId: string, secret: string) => {
      const issued = await accessToken(url, clientId, secret);
      if (typeof issued !== "string") throw new Error(`token: ${issued}`);
      return issued;
    };

    const op = await token(operator.OPERATOR_CLIENT_ID, operator.OPERATOR_CLIENT_SECRET);
    const partner = async (name: string) => {
      const made = await ok(call("POST", "/v1/partners", op, { name, contact_email: "ops@example.com" }));
      return { id: made.id as string, ...made.credentials };
    };
    const hotelOwner = await partner("Harbor Hotels");
    const airlineOwner = await partner("SkyWays");
    const program = async (partnerId: string, name: string, database?: string) =>
      (
        await ok(
          call("POST", "/v1/programs", op, {
            partner_id: partnerId,
            name,
            point_name: "point",
            settlement_currency: "USD",
            issue_price_micros: 12_000,
            redeem_price_micros: 10_000,
            ...(database ? { database } : {}),
          }),
        )
      ).id as string;
    const hotel = await program(hotelOwner.id, "Harbor Rewards");
    const airline = await program(airlineOwner.id, "SkyWays Miles", "eu");
    await ok(
      call("POST", "/v1/conversion-rates", op, {
        from_program_id: hotel,
        to_program_id: airline,
        from_points: 1_000,
        to_points: 600,
        min_points: 1_000,
        increment: 1_000,
        fee_bps: 0,
      }),
    );
    let hotelToken = await token(hotelOwner.client_id, hotelOwner.client_secret);
    let airlineToken = await token(airlineOwner.client_id, airlineOwner.client_secret);
    await ok(call("POST", `/v1/programs/${hotel}/members`, hotelToken, { external_id: "G-1" }));
    await ok(call("POST", `/v1/programs/${airline}/members`, airlineToken, { external_id: "F-1" }));
    await ok(
      call(
        "POST",
        "/v1/transactions/earn",
        hotelToken,
        { program_id: hotel, external_id: "G-1", points: 5_000, reference: "stay" },
        `earn-${++key}`,
      ),
    );
    const quote = await ok(
      call("POST", "/v1/conversions/quotes", hotelToken, {
        from_program_id: hotel,
        from_external_id: "G-1",
        to_program_id: airline,
        to_external_id: "F-1",
        from_points: 2_000,
      }),
    );

    // Another process holds eu's write lock: the destination cannot credit, so the answer is 202 pending.
    const eu = database("eu.db");
    const main = database("main.db");
    const blocking = await eu.transaction("write");
    const conversionKey = `convert-${++key}`;
    const pending = await ok(call("POST", "/v1/conversions", hotelToken, { quote_id: quote.id }, conversionKey), 202);
    expect(pending).toMatchObject({ status: "pending", from_points: 2_000, to_points: 1_200 });

    gateway.child.kill("SIGKILL");
    expect(await gateway.exited).toBe("SIGKILL");
    await blocking.rollback();
    blocking.close();
    // Cut between the reserve and the credit: held in main, its credit order undelivered, nothing in eu.
    expect(
      (await main.execute({ sql: "select state from conversion_sagas where id = ?", args: [pending.id] })).rows,
    ).toEqual([expect.objectContaining({ state: "reserved" })]);
    expect(
      await count(main, "select count(*) as n from shard_messages where saga_id = ? and delivered_at is null", [
        pending.id,
      ]),
    ).toBe(1);
    expect(await count(eu, "select count(*) as n from conversion_credits where saga_id = ?", [pending.id])).toBe(0);

    gateway = start();
    url = await gateway.listening();
    hotelToken = await token(hotelOwner.client_id, hotelOwner.client_secret);
    airlineToken = await token(airlineOwner.client_id, airlineOwner.client_secret);
    // The start relayed the saga there and back.
    const shown = await call("GET", `/v1/conversions/${pending.id}`, hotelToken);
    expect(shown.body).toMatchObject({ id: pending.id, status: "completed", decided_at: expect.any(String) });
    const retried = await call("POST", "/v1/conversions", hotelToken, { quote_id: quote.id }, conversionKey);
    expect(retried.status).toBe(201);
    expect(retried.text).toBe(shown.text);

    const guest = await ok(call("GET", `/v1/programs/${hotel}/members/G-1`, hotelToken), 200);
    const flyer = await ok(call("GET", `/v1/programs/${airline}/members/F-1`, airlineToken), 200);
    expect(guest.balance).toMatchObject({ available: 3_000, pending: 0 });
    expect(flyer.balance).toMatchObject({ available: 1_200 });
    const journal = async (client: Client) =>
      (
        await client.execute({
          sql: "select type from ledger_transactions where reference = ? order by id",
          args: [pending.id],
        })
      ).rows.map((row) => row.type);
    expect(await journal(main)).toEqual(["hold", "conversion_out"]);
    expect(await journal(eu)).toEqual(["conversion_in"]);
    expect(await count(main, "select count(*) as n from shard_messages where delivered_at is null", [])).toBe(0);
    expect(await count(eu, "select count(*) as n from shard_messages where delivered_at is null", [])).toBe(0);

    gateway.child.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);
  }, 90_000);
});
