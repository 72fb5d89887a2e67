import { getEventListeners } from "node:events";
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type GatewayClient, GatewayError, verifyWebhook, WebhookVerificationError } from "../../sdk/src";
import { sdkVersion } from "../../sdk/src/version";
import { onboardWithSdk, startGatewayForSdk } from "../support/sdk";

/**
 * What a call tells its caller beyond the body: replays, request ids, limits, and a GatewayError for every
 * failure, whatever came back. Against a real gateway where the gateway decides, a stubbed `fetch` where only
 * a broken network or proxy would answer that way.
 */
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
const token = () => json(200, { access_token: "t", token_type: "Bearer", expires_in: 900 });

/** A client whose every non-token request gets `answer(request)`; the requests it sent are in `sent`. */
function stubbed(answer: (request: Request) => Response | Promise<Response>, options: { maxRetries?: number } = {}) {
  const sent: Request[] = [];
  const client = createClient({
    baseUrl: "https://gateway.test",
    clientId: "cli_1",
    clientSecret: "secret",
    maxRetries: options.maxRetries ?? 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      sent.push(request);
      return new URL(request.url).pathname === "/oauth/token" ? token() : answer(request);
    },
  });
  return { client, sent };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error as GatewayError,
  );

describe("against a real gateway", () => {
  let started: Awaited<ReturnType<typeof startGatewayForSdk>>;
  let server: { url: string };
  let operator: GatewayClient;
  beforeAll(async () => {
    started = await startGatewayForSdk();
    ({ server, operator } = started);
  });
  afterAll(() => started.close());

  it("says that a resent earn was a replay: the same transaction, the points moved once", async () => {
    const { client, program, enrol } = await onboardWithSdk(operator, server.url, "Replay Rail");
    await enrol("M-1");
    const body = { program_id: program.id, external_id: "M-1", points: 300, reference: "ticket-77" };
    const first = await client.transactions.earn(body, { idempotencyKey: "ticket-77" }).withResponse();
    const again = await client.transactions.earn(body, { idempotencyKey: "ticket-77" }).withResponse();
    expect(first.meta).toMatchObject({ status: 201, replayed: false, idempotencyKey: "ticket-77" });
    expect(first.meta.requestId).toMatch(/^req_/);
    expect(again.meta).toMatchObject({ status: 201, replayed: true, idempotencyKey: "ticket-77" });
    expect(again.data).toEqual(first.data);
    expect((await client.members.get(program.id, "M-1")).balance.available).toBe(300);

    const generated = await client.transactions
      .earn({ ...body, reference: "ticket-78" }, { generateIdempotencyKey: true })
      .withResponse();
    expect(generated.meta.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.meta.replayed).toBe(false);
  });

  it("sends a CSV product list as text/csv: a dry run answers what an import would do and writes nothing", async () => {
    const { client, program } = await onboardWithSdk(operator, server.url, "Catalogue Cafe");
    const csv = 'sku,name,type,points_price,fulfilment,active\r\nMUG-1,"Mug, large",product,500,manual,true\r\n';
    const dry = await client.rewards.import(program.id, csv, { dry_run: "true" });
    expect(dry).toMatchObject({ created: 1, updated: 0, errors: [] });
    expect((await client.rewards.list(program.id)).data).toEqual([]);
    const done = await client.rewards.import(program.id, csv);
    expect(done).toMatchObject({ created: 1, updated: 0, errors: [] });
    expect((await client.rewards.list(program.id)).data.map((reward) => reward.name)).toEqual(["Mug, large"]);
  });

  it("says a replayed webhook endpoint's secret is gone: null, typed so", async () => {
    const { client } = await onboardWithSdk(operator, server.url, "Secret Spa");
    const body = { url: "https://hooks.secret-spa.example/loyalty", event_types: ["points.earned" as const] };
    const first = await client.webhooks.createEndpoint(body, { idempotencyKey: "endpoint-1" });
    const again = await client.webhooks.createEndpoint(body, { idempotencyKey: "endpoint-1" }).withResponse();
    expect(first.secret).toMatch(/^whsec_/);
    expect(again.meta.replayed).toBe(true);
    expect(again.data).toMatchObject({ id: first.id, secret: null });
  });

  it("refuses a call that moves points without a key, from JavaScript too, before sending anything", async () => {
    const { client, program } = await onboardWithSdk(operator, server.url, "Untyped Taxi");
    const body = { program_id: program.id, external_id: "M-1", points: 1, reference: "r" };
    const earn = client.transactions.earn as unknown as (body: unknown) => Promise<unknown>;
    expect(() => earn(body)).toThrow(/idempotencyKey/);
    const post = client.post as unknown as (path: string, init: unknown) => Promise<unknown>;
    expect(() => post("/v1/transactions/burn", { body })).toThrow("POST /v1/transactions/burn moves points");
  });

  it("gives a fraud rule's refusal its rule and Retry-After, at once", async () => {
    const { client, program, enrol } = await onboardWithSdk(operator, server.url, "Velocity Vans");
    await operator.fraud.setVelocityRules(program.id, { max_earn_points_per_member_per_day: 100 });
    await enrol("M-1");
    const body = { program_id: program.id, external_id: "M-1", reference: "r" };
    await client.transactions.earn({ ...body, points: 100 }, { idempotencyKey: "r-1" });
    const started = performance.now();
    const refused = await failure(client.transactions.earn({ ...body, points: 1 }, { idempotencyKey: "r-2" }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({
      status: 429,
      code: "earn_limit_exceeded",
      rule: "max_earn_points_per_member_per_day",
    });
    expect(refused.retryAfter).toBeGreaterThan(0);
  });

  it("reads a limited route's RateLimit headers on demand", async () => {
    const { client, program } = await onboardWithSdk(operator, server.url, "Limited Lines");
    const { meta } = await client.programs.get(program.id).withResponse();
    expect(meta.rateLimit).toMatchObject({ policy: "partner", windowSeconds: 60 });
    expect(meta.rateLimit?.remaining).toBeLessThan(meta.rateLimit?.limit ?? 0);
    expect(meta.headers.get("Content-Type")).toMatch(/json/);
  });
});

describe("every failure is a GatewayError", () => {
  it("for a proxy's HTML error page", async () => {
    const { client } = stubbed(() => new Response("<html>Bad gateway</html>", { status: 502 }));
    const error = await failure(client.programs.get("prg_1"));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 502, code: "http_502" });
    expect(error.message).toContain("Bad gateway");
  });

  it("for a success whose body is not the JSON the operation answers (a captive portal)", async () => {
    const { client } = stubbed(() => new Response("<html>Sign in to the Wi-Fi</html>", { status: 200 }));
    const error = await failure(client.programs.get("prg_1"));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 200, code: "http_200" });
  });

  it("for a token endpoint that answers something else than a token", async () => {
    const client = createClient({
      baseUrl: "https://gateway.test",
      clientId: "cli_1",
      clientSecret: "secret",
      fetch: async () => new Response("<html>maintenance</html>", { status: 200 }),
    });
    const error = await failure(client.programs.get("prg_1"));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe("http_200");
  });

  it("naming the network's cause, and recognised across the ES module and CommonJS builds", async () => {
    const client = createClient({
      baseUrl: "https://gateway.test",
      clientId: "cli_1",
      clientSecret: "secret",
      maxRetries: 0,
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) });
      },
    });
    const error = await failure(client.programs.get("prg_1"));
    expect(error.message).toMatch(/fetch failed \(ECONNREFUSED\)/);
    // Another build's error (a CommonJS dependency's) carries the same brand.
    const other = { [Symbol.for("@coalition-gateway/sdk.GatewayError")]: true, code: "timeout" };
    expect(other instanceof GatewayError).toBe(true);
    expect({ code: "timeout" } instanceof GatewayError).toBe(false);
  });

  it("with the fields at fault in its message", () => {
    const response = json(400, {});
    const error = GatewayError.fromBody(response, {
      code: "validation_failed",
      detail: "The request body has 2 invalid field(s).",
      errors: [
        { path: "points", message: "must be >= 1" },
        { path: "reference", message: "is required" },
      ],
    });
    expect(error.message).toBe(
      "400 The request body has 2 invalid field(s). points: must be >= 1; reference: is required.",
    );
  });

  it("for a call its caller's signal aborted", async () => {
    const { client } = stubbed(
      (request) =>
        new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
    );
    const controller = new AbortController();
    const pending = failure(client.programs.get("prg_1", { signal: controller.signal }));
    setTimeout(() => controller.abort(), 10);
    expect(await pending).toMatchObject({ status: 0, code: "aborted" });
  });

  it("for a call whose signal was aborted before it started, without asking for a token", async () => {
    const { client, sent } = stubbed(() => json(200, {}));
    const error = await failure(client.programs.get("prg_1", { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ status: 0, code: "aborted" });
    expect(sent).toEqual([]);
  });

  it("with retryAfter from the answer's Retry-After", async () => {
    const { client } = stubbed(() =>
      json(429, { code: "burn_limit_exceeded", rule: "max_burns_per_member_per_hour" }, { "Retry-After": "2960" }),
    );
    const error = await failure(client.programs.get("prg_1"));
    expect(error).toMatchObject({
      code: "burn_limit_exceeded",
      retryAfter: 2960,
      rule: "max_burns_per_member_per_hour",
    });
  });
});

describe("per-call options", () => {
  it("hold while the call waits for its token: a hung token endpoint, the call's time limit and retries", async () => {
    let tokenAttempts = 0;
    const client = createClient({
      baseUrl: "https://gateway.test",
      clientId: "cli_1",
      clientSecret: "secret",
      timeoutMs: 30_000,
      fetch: (_input, init) => {
        tokenAttempts++;
        return new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
      },
    });
    const error = await failure(client.programs.get("prg_1", { timeoutMs: 50, maxRetries: 0 }));
    expect(error).toMatchObject({ status: 0, code: "timeout" });
    expect(error.message).toContain("after 1 attempt.");
    expect(tokenAttempts).toBe(1);
  });

  it("let the call's signal stop its wait for a token, and leave no listener on a shared signal", async () => {
    const shutdown = new AbortController();
    const { client } = stubbed(() => json(200, { id: "prg_1" }));
    for (let i = 0; i < 20; i++) await client.programs.get("prg_1", { signal: shutdown.signal });
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(0);

    const hung = createClient({
      baseUrl: "https://gateway.test",
      clientId: "cli_1",
      clientSecret: "secret",
      fetch: (_input, init) =>
        new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason))),
    });
    const pending = failure(hung.programs.get("prg_1", { signal: AbortSignal.timeout(30) }));
    expect(await pending).toMatchObject({ status: 0, code: "aborted" });
  });

  it("retry a call as many times as it says, whatever the client's default", async () => {
    let attempts = 0;
    const { client } = stubbed(
      () => {
        attempts++;
        return json(503, { code: "service_unavailable" }, { "Retry-After": "0", "Should-Retry": "true" });
      },
      { maxRetries: 3 },
    );
    await failure(client.programs.get("prg_1", { maxRetries: 0 }));
    expect(attempts).toBe(1);
    attempts = 0;
    await failure(client.programs.get("prg_1", { maxRetries: 2 }));
    expect(attempts).toBe(3);
  });

  it("limit an attempt's time as the call says", async () => {
    const { client } = stubbed(
      (request) =>
        new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
    );
    const started = performance.now();
    const error = await failure(client.programs.get("prg_1", { timeoutMs: 50 }));
    expect(error).toMatchObject({ status: 0, code: "timeout" });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("the client", () => {
  it("refuses a baseUrl ending in /v1, or not a URL, with the fix in the message", () => {
    const options = { clientId: "c", clientSecret: "s" };
    expect(() => createClient({ ...options, baseUrl: "https://gateway.test/v1" })).toThrow(
      'use "https://gateway.test"',
    );
    expect(() => createClient({ ...options, baseUrl: "https://gateway.test/v1/" })).toThrow(/without "\/v1"/);
    expect(() => createClient({ ...options, baseUrl: "gateway.test" })).toThrow(/absolute URL/);
    expect(() => createClient({ ...options, baseUrl: "localhost:3999" })).toThrow(/must start with https:\/\//);
    expect(() => createClient({ ...options, baseUrl: "https://gateway.test/" })).not.toThrow();
  });

  it("sends a User-Agent with its version, on token requests and calls", async () => {
    const { client, sent } = stubbed(() => json(200, { id: "prg_1" }));
    await client.programs.get("prg_1");
    expect(sent.map((request) => new URL(request.url).pathname)).toEqual(["/oauth/token", "/v1/programs/prg_1"]);
    for (const request of sent) expect(request.headers.get("User-Agent")).toBe(`coalition-gateway-sdk/${sdkVersion}`);
    const sdkPackage = JSON.parse(readFileSync(new URL("../../sdk/package.json", import.meta.url), "utf8"));
    expect(sdkVersion).toBe(sdkPackage.version);
  });

  it("reads RateLimit headers into numbers", async () => {
    const { client } = stubbed(() =>
      json(200, { id: "prg_1" }, { "RateLimit-Policy": '"partner";q=600;w=60', RateLimit: '"partner";r=599;t=12' }),
    );
    const { meta } = await client.programs.get("prg_1").withResponse();
    expect(meta.rateLimit).toEqual({
      policy: "partner",
      limit: 600,
      windowSeconds: 60,
      remaining: 599,
      resetSeconds: 12,
    });
  });
});

describe("webhook verification", () => {
  const secret = `whsec_${btoa("0123456789abcdef0123456789abcdef")}`;
  const body = JSON.stringify({ type: "points.earned", timestamp: "2026-11-30T12:00:00.000Z", data: { points: 5 } });
  const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const headers = {
    "webhook-id": "evt_1",
    "webhook-timestamp": String(signedAt.getTime() / 1000),
    "webhook-signature": new Webhook(secret).sign("evt_1", signedAt, body),
  };

  it("returns the id, the signing time and the typed event, from the text or the bytes", () => {
    const fromText = verifyWebhook(body, headers, secret);
    expect(fromText).toEqual({ id: "evt_1", timestamp: signedAt, event: JSON.parse(body) });
    expect(verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret)).toEqual(fromText);
  });

  it("says what is wrong when given parsed JSON or headers without the signature", () => {
    const parsed = JSON.parse(body) as unknown as string;
    expect(() => verifyWebhook(parsed, headers, secret)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(parsed, headers, secret)).toThrow(/raw body/);
    expect(() => verifyWebhook(body, { "webhook-id": "evt_1" }, secret)).toThrow(
      /Missing webhook-timestamp, webhook-signature/,
    );
  });

  it("raises WebhookVerificationError for a tampered body, a missing header and a malformed secret", () => {
    expect(() => verifyWebhook(body.replace("5", "6"), headers, secret)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(body, { ...headers, "webhook-signature": undefined }, secret)).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifyWebhook(body, headers, "whsec_!!!not-base64")).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(body, headers, "")).toThrow(/malformed/);
  });
});
