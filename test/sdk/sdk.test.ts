import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { type components, createClient, type GatewayClient, GatewayError, type WebhookEvent } from "../../sdk/src";
import type { TestGateway } from "../support/gateway";
import { startReceiver } from "../support/receiver";
import { onboardWithSdk, startGatewayForSdk } from "../support/sdk";

/**
 * The SDK end to end: a real gateway on 127.0.0.1 and a random port, driven only through the SDK, from
 * operator onboarding to a verified webhook.
 */
type Schemas = components["schemas"];

let started: Awaited<ReturnType<typeof startGatewayForSdk>>;
let gw: TestGateway;
let server: { url: string };
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let operator: GatewayClient;
beforeAll(async () => {
  started = await startGatewayForSdk({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
  ({ gw, server, operator } = started);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await started.close();
});

/** A partner with its own program and client, onboarded through the SDK. */
const onboard = (name: string, options: Parameters<typeof onboardWithSdk>[3] = {}) =>
  onboardWithSdk(operator, server.url, name, options);

describe("the SDK against a real gateway", () => {
  it("onboards, enrols, earns, burns and converts, and verifies the webhooks it receives", async () => {
    const hotel = await onboard("Harbor Hotels");
    const airline = await onboard("SkyWays");
    await operator.conversions.createRate({
      from_program_id: hotel.program.id,
      to_program_id: airline.program.id,
      from_points: 1_000,
      to_points: 600,
      min_points: 1_000,
      increment: 1_000,
      fee_bps: 0,
    });
    const endpoint = await hotel.client.webhooks.createEndpoint({
      url: receiver.url,
      event_types: ["points.earned", "conversion.completed"],
    });

    const guest = await hotel.enrol("G-100");
    expect(guest.external_id).toBe("G-100");
    await airline.enrol("F-200");
    const earned = await hotel.client.transactions.earn(
      {
        program_id: hotel.program.id,
        external_id: "G-100",
        points: 5_000,
        reference: "stay-1",
      },
      { idempotencyKey: "stay-1" },
    );
    expect(earned).toMatchObject({ type: "earn", points: 5_000, balance_after: 5_000 });
    const burned = await hotel.client.transactions.burn(
      {
        program_id: hotel.program.id,
        external_id: "G-100",
        points: 1_000,
        reference: "minibar-1",
      },
      { idempotencyKey: "minibar-1" },
    );
    expect(burned.balance_after).toBe(4_000);

    const quote = await hotel.client.conversions.quote({
      from_program_id: hotel.program.id,
      from_external_id: "G-100",
      to_program_id: airline.program.id,
      to_external_id: "F-200",
      from_points: 3_000,
    });
    expect(quote).toMatchObject({ from_points: 3_000, to_points: 1_800, fee_points: 0 });
    const conversion = await hotel.client.conversions.execute({ quote_id: quote.id }, { idempotencyKey: quote.id });
    expect(conversion.status).toBe("completed");
    const flyer = await airline.client.members.get(airline.program.id, "F-200");
    expect(flyer.balance.available).toBe(1_800);

    const received = await receiver.waitFor(2);
    const secret = endpoint.secret ?? "";
    const verified = received.map((webhook) =>
      hotel.client.webhooks.verify(webhook.rawBody, webhook.headers as Record<string, string>, secret),
    );
    expect(verified.map((delivery) => delivery.id)).toEqual(received.map((webhook) => webhook.headers["webhook-id"]));
    const events = verified.map((delivery) => delivery.event);
    expect(events.map((event) => event.type).sort()).toEqual(["conversion.completed", "points.earned"]);
    const earnedEvent = events.find((event) => event.type === "points.earned");
    if (earnedEvent?.type !== "points.earned") throw new Error("no points.earned");
    expect(earnedEvent.data.id).toBe(earned.id);
    expect(() =>
      hotel.client.webhooks.verify(
        received[0]?.rawBody.replace("5000", "9000") ?? "",
        received[0]?.headers as Record<string, string>,
        secret,
      ),
    ).toThrow();
  });

  it("answers a list method with its page when awaited, and every item, newest first, when iterated", async () => {
    const grocer = await onboard("FreshMart");
    await grocer.enrol("M-1");
    for (let i = 1; i <= 45; i++)
      await grocer.client.transactions.earn(
        {
          program_id: grocer.program.id,
          external_id: "M-1",
          points: i,
          reference: `basket-${i}`,
        },
        { generateIdempotencyKey: true },
      );
    const firstPage = await grocer.client.members.listTransactions(grocer.program.id, "M-1", { limit: 20 });
    expect(firstPage).toMatchObject({ object: "list", has_more: true });
    expect(firstPage.data.map((transaction) => transaction.points)).toEqual(
      Array.from({ length: 20 }, (_, i) => 45 - i),
    );
    const seen: number[] = [];
    for await (const transaction of grocer.client.members.listTransactions(grocer.program.id, "M-1", { limit: 20 }))
      seen.push(transaction.points);
    expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => 45 - i));
    // The path-string client pages the same way.
    const again: number[] = [];
    for await (const transaction of grocer.client.list("/v1/programs/{program_id}/members/{external_id}/transactions", {
      params: { path: { program_id: grocer.program.id, external_id: "M-1" }, query: { limit: 20 } },
    }))
      again.push(transaction.points);
    expect(again).toEqual(seen);
  });

  it("retries a call whose connection dropped after the gateway committed, with exactly one effect", async () => {
    const keys: string[] = [];
    let dropped = false;
    const dropOnce: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith("/v1/transactions/earn")) {
        keys.push(new Headers(init?.headers).get("Idempotency-Key") ?? "");
        if (!dropped) {
          dropped = true;
          await response.text(); // the gateway answered and committed; the client never sees it
          throw new TypeError("fetch failed: socket hang up");
        }
      }
      return response;
    };
    const shop = await onboard("Corner Shop", { fetch: dropOnce });
    await shop.enrol("M-1");
    const earned = await shop.client.post("/v1/transactions/earn", {
      body: { program_id: shop.program.id, external_id: "M-1", points: 70, reference: "receipt-9" },
      generateIdempotencyKey: true,
    });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    const history = [];
    for await (const transaction of shop.client.list("/v1/programs/{program_id}/members/{external_id}/transactions", {
      params: { path: { program_id: shop.program.id, external_id: "M-1" } },
    }))
      history.push(transaction);
    expect(history.map((transaction) => transaction.id)).toEqual([earned.id]);
    expect(earned.balance_after).toBe(70);
  });

  it("renews an expired token by itself", async () => {
    let tokenRequests = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith("/oauth/token")) tokenRequests++;
      return fetch(input, init);
    };
    const airline = await onboard("Blue Air", { fetch: counting });
    await airline.enrol("F-1");
    expect(tokenRequests).toBe(1);
    gw.clock.advance(16 * 60_000); // past the token's 15 minutes, on the gateway's clock
    const member = await airline.client.get("/v1/programs/{program_id}/members/{external_id}", {
      params: { path: { program_id: airline.program.id, external_id: "F-1" } },
    });
    expect(member.external_id).toBe("F-1");
    expect(tokenRequests).toBe(2);
  });

  it("retries 503 and 429 honouring Retry-After, then succeeds", async () => {
    const answers = [
      new Response("{}", { status: 503, headers: { "Retry-After": "0" } }),
      new Response(JSON.stringify({ code: "rate_limited" }), { status: 429, headers: { "Retry-After": "0" } }),
    ];
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      if (String(input).includes("/v1/programs/") && answers.length > 0) {
        calls++;
        return Promise.resolve(answers.shift() as Response);
      }
      return fetch(input, init);
    };
    const { client, program } = await onboard("Flaky Fuel", { fetch: flaky });
    const read = await client.get("/v1/programs/{id}", { params: { path: { id: program.id } } });
    expect(read.id).toBe(program.id);
    expect(calls).toBe(2);
  });

  it("fails at once on a fraud rule's 429, on Should-Retry: false, and on a Retry-After beyond its cap", async () => {
    const refusals = [
      new Response(JSON.stringify({ code: "earn_limit_exceeded", rule: "max_earn_points_per_member_per_day" }), {
        status: 429,
        headers: { "Retry-After": "2960", "Content-Type": "application/problem+json" },
      }),
      new Response(JSON.stringify({ code: "internal_error" }), { status: 503, headers: { "Should-Retry": "false" } }),
      new Response(JSON.stringify({ code: "rate_limited" }), {
        status: 429,
        headers: { "Retry-After": "3600", "Should-Retry": "true" },
      }),
    ];
    for (const refusal of refusals) {
      let calls = 0;
      const refusing: typeof fetch = (input, init) => {
        if (String(input).includes("/v1/programs/")) {
          calls++;
          return Promise.resolve(refusal.clone());
        }
        return fetch(input, init);
      };
      const { client, program } = await onboard(`Refused ${refusal.status}`, { fetch: refusing });
      const started = performance.now();
      const error = await client.get("/v1/programs/{id}", { params: { path: { id: program.id } } }).catch((e) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(calls).toBe(1);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it("throws a typed GatewayError with status, code, request id and field errors", async () => {
    const { client, program, enrol } = await onboard("Error Air");
    await enrol("M-1");
    const invalid = await client
      .post("/v1/transactions/earn", {
        body: { program_id: program.id, external_id: "M-1", points: -5, reference: "bad" },
        idempotencyKey: "bad-1",
      })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(GatewayError);
    expect(invalid).toMatchObject({ status: 400, code: "validation_failed", errors: [{ path: "points" }] });
    expect((invalid as GatewayError).requestId).toMatch(/^req_/);
    const short = await client
      .post("/v1/transactions/burn", {
        body: { program_id: program.id, external_id: "M-1", points: 1, reference: "x" },
        idempotencyKey: "x-1",
      })
      .catch((error: unknown) => error);
    expect(short).toMatchObject({ status: 409, code: "insufficient_points" });
    const unreachable = createClient({
      baseUrl: "http://127.0.0.1:9",
      clientId: "x",
      clientSecret: "y",
      maxRetries: 1,
    });
    await expect(unreachable.get("/v1/programs")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });
});

describe("SDK types", () => {
  it("types request bodies and responses from the OpenAPI document", () => {
    const client = createClient({ baseUrl: "http://127.0.0.1:1", clientId: "x", clientSecret: "y" });
    expectTypeOf(client.get<"/v1/programs/{id}", { params: { path: { id: string } } }>).returns.resolves.toEqualTypeOf<
      Schemas["Program"]
    >();
    expectTypeOf(
      client.post<"/v1/transactions/earn", { body: Schemas["EarnPoints"]; idempotencyKey: string }>,
    ).returns.resolves.toEqualTypeOf<Schemas["EarnResult"]>();
    expectTypeOf<
      Parameters<
        typeof client.post<"/v1/conversions", { body: Schemas["ExecuteConversion"]; idempotencyKey: string }>
      >[0]
    >().toEqualTypeOf<"/v1/conversions">();
    expectTypeOf<Extract<WebhookEvent, { type: "conversion.completed" }>["data"]>().toEqualTypeOf<
      Schemas["Conversion"]
    >();
    if (Date.now() < 0) {
      // @ts-expect-error an unknown path does not compile
      void client.get("/v1/nope");
      void client.post("/v1/transactions/burn", {
        // @ts-expect-error points must be a number
        body: { program_id: "p", external_id: "m", points: "1", reference: "r" },
      });
    }
  });
});
