import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduledJobsEverywhere } from "../../gateway/src/jobs";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { startGateway, tempDatabaseUrl } from "../support/node-process";

// A gateway over two embedded databases (DATABASE_URL, the directory `main`, and DATABASE_SHARDS `eu`), driven
// over its HTTP surface as the Node entry serves it (docs/scale-out.md).

let gw: TestGateway;
let operator: string;
beforeAll(async () => {
  gw = await createTestGateway({}, { shards: ["eu"] });
  operator = await gw.operatorToken();
});
afterAll(() => gw.close());

const programBody = (partnerId: string, overrides: Record<string, unknown> = {}) => ({
  partner_id: partnerId,
  name: "SkyWays Miles",
  point_name: "mile",
  settlement_currency: "USD",
  issue_price_micros: 12_000,
  redeem_price_micros: 10_000,
  ...overrides,
});

/** Rows of one database file, read apart from the gateway: where a write really landed. */
async function rowsInFile(file: string, sql: string, args: (string | number)[] = []) {
  const client = createClient({ url: `file:${join(gw.dir, file)}` });
  try {
    return (await client.execute({ sql, args })).rows;
  } finally {
    client.close();
  }
}

const countIn = async (file: string, sql: string, args: (string | number)[]) =>
  Number((await rowsInFile(file, sql, args))[0]?.n);

let key = 0;
const earn = (token: string, programId: string, externalId: string, points: number) =>
  gw.call("POST", "/v1/transactions/earn", {
    token,
    headers: { "Idempotency-Key": `earn-${++key}` },
    body: { program_id: programId, external_id: externalId, points, reference: `order-${key}` },
  });

/** A JSON-looking body of `size` bytes as a stream of 64 KiB chunks, sent without Content-Length. */
function chunked(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(65_536, size - sent)).fill(0x20);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

/** The answer, or a failure after `seconds`: a hang fails the test instead of stalling it. */
async function withinSeconds<T>(seconds: number, answer: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([answer(), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe("a gateway over two databases", () => {
  it("keeps each program's members and ledger in the database it was placed on, and finds them by id", async () => {
    const owner = await gw.onboardPartner();
    const home = await gw.call("POST", "/v1/programs", { token: operator, body: programBody(owner.partner.id) });
    const away = await gw.call("POST", "/v1/programs", {
      token: operator,
      body: programBody(owner.partner.id, { name: "EuroPoints", database: "eu" }),
    });
    expect([home.status, away.status]).toEqual([201, 201]);

    for (const [program, points] of [
      [home.body.id, 300],
      [away.body.id, 700],
    ] as const) {
      const enrolled = await gw.call("POST", `/v1/programs/${program}/members`, {
        token: owner.token,
        body: { external_id: "alice" },
      });
      expect(enrolled.status, enrolled.text).toBe(201);
      expect((await earn(owner.token, program, "alice", points)).status).toBe(201);
    }
    const balances = await Promise.all(
      [home.body.id, away.body.id].map(async (program) => {
        const member = await gw.call("GET", `/v1/programs/${program}/members/alice`, { token: owner.token });
        return member.body.balance.available;
      }),
    );
    expect(balances).toEqual([300, 700]);

    // The rows are in the files the placement names, and only there; the directory places the eu program.
    const journal = "select count(*) as n from ledger_transactions where program_id = ?";
    expect(await countIn("gateway.db", journal, [home.body.id])).toBe(1);
    expect(await countIn("eu.db", journal, [home.body.id])).toBe(0);
    expect(await countIn("eu.db", journal, [away.body.id])).toBe(1);
    expect(await countIn("gateway.db", journal, [away.body.id])).toBe(0);
    expect(await countIn("eu.db", "select count(*) as n from members where program_id = ?", [away.body.id])).toBe(1);
    expect(
      await rowsInFile("gateway.db", "select database from program_placements where program_id = ?", [away.body.id]),
    ).toEqual([expect.objectContaining({ database: "eu" })]);

    // By id alone: the transaction on eu is found, and a reversal of it is written there.
    const awayEarn = await earn(owner.token, away.body.id, "alice", 50);
    const found = await gw.call("GET", `/v1/transactions/${awayEarn.body.id}`, { token: owner.token });
    expect(found.status, found.text).toBe(200);
    expect(found.body).toMatchObject({ id: awayEarn.body.id, program_id: away.body.id, points: 50 });
    const reversed = await gw.call("POST", `/v1/transactions/${awayEarn.body.id}/reversals`, {
      token: owner.token,
      headers: { "Idempotency-Key": `reverse-${awayEarn.body.id}` },
      body: { reason: "returned" },
    });
    expect(reversed.status, reversed.text).toBe(201);
    expect(await countIn("eu.db", journal, [away.body.id])).toBe(3);
    expect((await gw.call("GET", "/v1/transactions/txn_nowhere", { token: owner.token })).status).toBe(404);
  });

  it("copies directory changes to the shard before answering them", async () => {
    const owner = await gw.onboardPartner();
    const guest = await gw.onboardPartner();
    const program = (
      await gw.call("POST", "/v1/programs", {
        token: operator,
        body: programBody(owner.partner.id, { database: "eu" }),
      })
    ).body;
    await gw.call("POST", `/v1/programs/${program.id}/members`, { token: owner.token, body: { external_id: "bob" } });
    // Without an agreement the guest does not see the program; the agreement made on main lets it earn on eu.
    expect((await earn(guest.token, program.id, "bob", 10)).status).toBe(404);
    const agreement = await gw.call("POST", `/v1/programs/${program.id}/agreements`, {
      token: operator,
      body: {
        partner_id: guest.partner.id,
        can_earn: true,
        can_burn: false,
        issue_price_micros: 11_000,
        redeem_price_micros: 9_000,
      },
    });
    expect(agreement.status, agreement.text).toBe(201);
    expect(await countIn("eu.db", "select count(*) as n from agreements where program_id = ?", [program.id])).toBe(2);
    expect((await earn(guest.token, program.id, "bob", 10)).status).toBe(201);

    // Closing the program on main: the shard's cached terms see it at once (the copy bumps its terms epoch).
    const closed = await gw.call("PATCH", `/v1/programs/${program.id}`, {
      token: operator,
      body: { status: "closed" },
    });
    expect(closed.status, closed.text).toBe(200);
    const refused = await earn(owner.token, program.id, "bob", 10);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("invalid_state");
  });

  it("answers a chunked body over the limit with 413 as one database does, however large", async () => {
    const server = await gw.listen();
    try {
      // No Content-Length: the dispatcher reads the stream to find the program, up to 2 MiB.
      for (const size of [100_000, 3_500_000]) {
        const answer = await withinSeconds(5, () =>
          fetch(`${server.url}/v1/transactions/earn`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: chunked(size),
            duplex: "half",
          } as RequestInit),
        );
        expect(answer.status, `${size} bytes`).toBe(413);
        expect(await answer.json()).toMatchObject({
          code: "payload_too_large",
          detail: "The request body is larger than 65536 bytes.",
        });
      }
    } finally {
      await server.stop();
    }
  });

  it("answers a path with a malformed escape as one database does (404), not with a 500", async () => {
    const owner = await gw.onboardPartner();
    for (const path of ["/v1/programs/%E0%A4%A/members/alice", "/v1/transactions/%E0%A4%A", "/v1/rewards/%zz"]) {
      const answer = await gw.call("GET", path, { token: owner.token });
      expect(answer.status, `${path}: ${answer.text}`).toBe(404);
    }
  });

  it("refuses a database that is not configured, naming the field and the names, and creates nothing", async () => {
    const owner = await gw.onboardPartner();
    const programs = "select count(*) as n from programs where partner_id = ?";
    const refused = await gw.call("POST", "/v1/programs", {
      token: operator,
      body: programBody(owner.partner.id, { database: "us" }),
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: "unknown_database",
      errors: [{ path: "database", message: "must be one of main, eu" }],
    });
    expect(await countIn("gateway.db", programs, [owner.partner.id])).toBe(0);
    expect(await countIn("eu.db", programs, [owner.partner.id])).toBe(0);
  });
});

describe("a shard down since its migration", () => {
  it("starts, and serves main's programs; the scheduled run still runs main's jobs", async () => {
    const down = await createTestGateway({}, { shards: ["eu"], unreachable: ["eu"] });
    try {
      expect(down.logs.map((entry) => entry.message)).toEqual(
        expect.arrayContaining([
          "directory copy at start failed; the scheduled runs try again",
          "conversion saga relay at start failed; the scheduled runs try again",
        ]),
      );
      const owner = await down.onboardPartner();
      const program = await down.call("POST", "/v1/programs", {
        token: await down.operatorToken(),
        body: programBody(owner.partner.id),
      });
      expect(program.status, program.text).toBe(201);
      const enrolled = await down.call("POST", `/v1/programs/${program.body.id}/members`, {
        token: owner.token,
        body: { external_id: "alice" },
      });
      expect(enrolled.status, enrolled.text).toBe(201);
      const earned = await down.call("POST", "/v1/transactions/earn", {
        token: owner.token,
        headers: { "Idempotency-Key": "earn-while-eu-is-down" },
        body: { program_id: program.body.id, external_id: "alice", points: 50, reference: "order-1" },
      });
      expect(earned.status, earned.text).toBe(201);

      await expect(runScheduledJobsEverywhere(down.deps)).rejects.toThrow("the database cannot be reached");
      expect(down.logs.filter((entry) => entry.message === "scheduled jobs").length).toBeGreaterThan(0);
    } finally {
      await down.close();
    }
  });
});

describe("one database", () => {
  it("takes database main or none, refuses another name, and places nothing", async () => {
    const single = await createTestGateway();
    try {
      const token = await single.operatorToken();
      const owner = await single.onboardPartner();
      const named = await single.call("POST", "/v1/programs", {
        token,
        body: programBody(owner.partner.id, { database: "main" }),
      });
      expect(named.status).toBe(201);
      const refused = await single.call("POST", "/v1/programs", {
        token,
        body: programBody(owner.partner.id, { database: "eu" }),
      });
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([{ path: "database", message: "must be one of main" }]);
      expect(await single.deps.reader.all("select * from program_placements")).toEqual([]);
    } finally {
      await single.close();
    }
  });
});

describe("the Node entry with DATABASE_SHARDS", { timeout: 60_000 }, () => {
  it("stops at start-up with one line naming the setting and the faulty pair", async () => {
    const gateway = startGateway({ DATABASE_URL: tempDatabaseUrl(), DATABASE_SHARDS: "eu=file:/tmp/eu.db,us" });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toMatch(/DATABASE_SHARDS: "us" is not name=url/);
    expect(gateway.output()).not.toMatch(/at .*\.ts:\d+/);
  });
});
