import { env } from "cloudflare:workers";
import type { D1Database } from "@cloudflare/workers-types";
import { expect, it } from "vitest";
import { createWorker } from "../../gateway/src/worker";
import { callThrough, newKey, operator } from "./support";

// A conversion from a program on DB (main) to one on DB_EU, through the Worker in workerd (docs/scale-out.md,
// section 3): the saga runs inline over the two D1 databases and the answer is 201 completed.

const main = env.SHARDED_MAIN_DB as D1Database;
const eu = env.SHARDED_EU_DB as D1Database;
const send = callThrough(createWorker(), { ...env, DB: main, DB_EU: eu, DATABASE_SHARDS: "eu=d1:DB_EU" });

const journal = async (database: D1Database, reference: string) =>
  (
    await database
      .prepare("select type from ledger_transactions where reference = ? order by id")
      .bind(reference)
      .all<{ type: string }>()
  ).results.map((row) => row.type);

it("converts between programs on two D1 databases: debited once on main, credited once on eu", async () => {
  const tokenOf = async (clientId: string, secret: string) =>
    (
      await send("POST", "/oauth/token", {
        form: { grant_type: "client_credentials", client_id: clientId, client_secret: secret },
      })
    ).body.access_token as string;
  const operatorToken = await tokenOf(operator.clientId, operator.secret);
  const created = async (path: string, token: string, body: Record<string, unknown>) => {
    const response = await send("POST", path, { token, body });
    expect(response.status, response.text).toBe(201);
    return response.body;
  };
  const owner = async (name: string) => {
    const partner = await created("/v1/partners", operatorToken, { name, contact_email: "dev@example.com" });
    return { id: partner.id, token: await tokenOf(partner.credentials.client_id, partner.credentials.client_secret) };
  };
  const program = async (partnerId: string, name: string, database: string) =>
    (
      await created("/v1/programs", operatorToken, {
        partner_id: partnerId,
        name,
        point_name: "point",
        settlement_currency: "EUR",
        issue_price_micros: 10_000,
        redeem_price_micros: 8_000,
        database,
      })
    ).id as string;
  const hotelOwner = await owner("Harbor Hotels");
  const railOwner = await owner("Euro Rail");
  const hotel = await program(hotelOwner.id, "Harbor Rewards", "main");
  const rail = await program(railOwner.id, "Rail Points", "eu");
  await created("/v1/conversion-rates", operatorToken, {
    from_program_id: hotel,
    to_program_id: rail,
    from_points: 1_000,
    to_points: 600,
    min_points: 1_000,
    increment: 1_000,
    fee_bps: 0,
  });
  await created(`/v1/programs/${hotel}/members`, hotelOwner.token, { external_id: "guest" });
  await created(`/v1/programs/${rail}/members`, railOwner.token, { external_id: "rider" });
  const earned = await send("POST", "/v1/transactions/earn", {
    token: hotelOwner.token,
    headers: { "Idempotency-Key": newKey() },
    body: { program_id: hotel, external_id: "guest", points: 3_000, reference: "stay" },
  });
  expect(earned.status, earned.text).toBe(201);
  const quote = await created("/v1/conversions/quotes", hotelOwner.token, {
    from_program_id: hotel,
    from_external_id: "guest",
    to_program_id: rail,
    to_external_id: "rider",
    from_points: 2_000,
  });

  const key = newKey();
  const convert = () =>
    send("POST", "/v1/conversions", {
      token: hotelOwner.token,
      headers: { "Idempotency-Key": key },
      body: { quote_id: quote.id },
    });
  const converted = await convert();
  expect(converted.status, converted.text).toBe(201);
  expect(converted.body).toMatchObject({ status: "completed", to_external_id: "rider", to_points: 1_200 });
  expect(await journal(main, converted.body.id)).toEqual(["hold", "conversion_out"]);
  expect(await journal(eu, converted.body.id)).toEqual(["conversion_in"]);
  expect((await convert()).text).toBe(converted.text);
  const shown = await send("GET", `/v1/conversions/${converted.body.id}`, { token: hotelOwner.token });
  expect(shown.text).toBe(converted.text);
  const rider = await send("GET", `/v1/programs/${rail}/members/rider`, { token: railOwner.token });
  expect(rider.body.balance.available).toBe(1_200);
});
