import { Webhook } from "svix";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { webhookEndpoints } from "../../gateway/src/db/schema";
import { claimDueDeliveries, fanOutEvents } from "../../gateway/src/webhooks/dispatcher";
import { nodeTransport } from "../../gateway/src/webhooks/node-transport";
import type { WebhookRunner } from "../../gateway/src/webhooks/runner";
import { retryDelays } from "../../gateway/src/webhooks/schedule";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";
import { startReceiver } from "../support/receiver";
import { itNeedsScope } from "../support/route-security";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let gw: TestGateway;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  gw = await createTestGateway({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
});
afterAll(async () => {
  await gw.close();
});
// A receiver of its own for each test: retries of an earlier test's events never reach a later test.
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  vi.useRealTimers();
  await receiver.close();
});

/** The dispatcher of a process that died right after committing: it never sends anything. */
const deadRunner: WebhookRunner = { kick: () => {}, deliver: async () => 0, idle: async () => {} };

/** A program and an endpoint of its owner on the receiver, subscribed to `types`. */
async function setup(g: TestGateway = gw, types = ["points.earned", "points.burned", "webhook_endpoint.disabled"]) {
  const program = await setupProgram(g);
  const created = await g.call("POST", "/v1/webhook-endpoints", {
    token: program.owner.token,
    body: { url: receiver.url, event_types: types, description: "test receiver" },
  });
  if (created.status !== 201) throw new Error(`endpoint: ${created.status} ${created.text}`);
  return { ...program, endpoint: created.body as { id: string; secret: string } };
}

/** Verifies a received webhook with svix at the time it was signed, as a receiver would on arrival. */
function verify(secret: string, received: { headers: Record<string, unknown>; rawBody: string }) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Number(received.headers["webhook-timestamp"]) * 1000);
  try {
    return new Webhook(secret).verify(received.rawBody, received.headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}

describe("webhook endpoints", () => {
  itNeedsScope(
    () => gw,
    "webhooks:manage",
    () => [
      {
        method: "POST",
        path: "/v1/webhook-endpoints",
        body: { url: "https://x.example", event_types: ["points.earned"] },
      },
      { method: "GET", path: "/v1/webhook-endpoints" },
      { method: "GET", path: "/v1/webhook-endpoints/whe_x" },
      { method: "PATCH", path: "/v1/webhook-endpoints/whe_x", body: {} },
      { method: "DELETE", path: "/v1/webhook-endpoints/whe_x" },
      { method: "POST", path: "/v1/webhook-endpoints/whe_x/rotate-secret" },
      { method: "GET", path: "/v1/webhook-endpoints/whe_x/deliveries" },
      { method: "GET", path: "/v1/events" },
      { method: "GET", path: "/v1/events/evt_x" },
      { method: "POST", path: "/v1/events/evt_x/resend" },
    ],
  );

  it("creates an endpoint with a whsec_ secret of at least 24 random bytes, shown only then", async () => {
    const { endpoint, owner } = await setup();
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(Buffer.from(endpoint.secret.slice(6), "base64").length).toBeGreaterThanOrEqual(24);
    const read = await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}`, { token: owner.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: endpoint.id, url: receiver.url, status: "enabled", disabled_reason: null });
    expect(read.body.secret).toBeUndefined();
    const list = await gw.call("GET", "/v1/webhook-endpoints", { token: owner.token });
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    const path = `/v1/webhook-endpoints/${endpoint.id}`;
    const disabled = await gw.call("PATCH", path, { token: owner.token, body: { disabled: true } });
    expect(disabled.body).toMatchObject({ status: "disabled", disabled_reason: "manual" });
    const enabled = await gw.call("PATCH", path, { token: owner.token, body: { status: "enabled" } });
    expect(enabled.body).toMatchObject({ status: "enabled", disabled_reason: null });
    const contradiction = await gw.call("PATCH", path, {
      token: owner.token,
      body: { status: "enabled", disabled: true },
    });
    expect(contradiction.status).toBe(400);
  });

  it("refuses bad input with a problem naming the field, and another partner's endpoint is 404", async () => {
    const { endpoint, owner } = await setup();
    const bad = await gw.call("POST", "/v1/webhook-endpoints", {
      token: owner.token,
      body: { url: receiver.url, event_types: ["points.teleported"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("event_types[0]");
    const other = await gw.onboardPartner();
    for (const [method, path] of [
      ["GET", `/v1/webhook-endpoints/${endpoint.id}`],
      ["PATCH", `/v1/webhook-endpoints/${endpoint.id}`],
      ["DELETE", `/v1/webhook-endpoints/${endpoint.id}`],
      ["POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`],
      ["GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`],
    ] as const) {
      const response = await gw.call(method, path, { token: other.token, body: method === "PATCH" ? {} : undefined });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
  });

  it("refuses loopback, private and metadata addresses unless private targets are allowed", async () => {
    const strict = await createTestGateway();
    try {
      const { owner } = await setupProgram(strict);
      for (const url of [
        "http://api.partner.example/hooks",
        "https://127.0.0.1/hooks",
        "https://localhost:8443/hooks",
        "https://10.0.0.8/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
      ]) {
        const response = await strict.call("POST", "/v1/webhook-endpoints", {
          token: owner.token,
          body: { url, event_types: ["points.earned"] },
        });
        expect(response.status, url).toBe(400);
        expect(response.body).toMatchObject({ code: "validation_failed", errors: [{ path: "url" }] });
      }
      expect(await strict.deps.db.$count(webhookEndpoints)).toBe(0);
    } finally {
      await strict.close();
    }
  });
});

describe("delivery", () => {
  it("delivers right after the commit, signed: svix verifies the raw body; ids dedupe; bodies stay small", async () => {
    const { endpoint, enrol, move, owner } = await setup();
    const member = await enrol();
    const earned = await move("earn", member, 120);
    expect(earned.status).toBe(201);
    // No kick from the test: the write's own request started the delivery.
    const [webhook] = await receiver.waitFor(1);
    if (!webhook) throw new Error("no webhook");
    const event = verify(endpoint.secret, webhook) as { type: string; timestamp: string; data: { id: string } };
    expect(event).toMatchObject({ type: "points.earned", data: { id: earned.body.id, points: 120 } });
    expect(webhook.headers["webhook-id"]).toMatch(/^evt_/);
    expect(webhook.headers["content-type"]).toBe("application/json");
    expect(Buffer.byteLength(webhook.rawBody)).toBeLessThan(20_000);
    expect(() => new Webhook(endpoint.secret).verify(`${webhook.rawBody} `, webhook.headers as never)).toThrow();

    const events = await gw.call("GET", "/v1/events?type=points.earned", { token: owner.token });
    expect(events.body.data[0]).toMatchObject({ id: webhook.headers["webhook-id"], type: "points.earned" });
  });

  it("sends only the event types an endpoint subscribed to", async () => {
    const { enrol, move } = await setup(gw, ["points.burned"]);
    const member = await enrol();
    await move("earn", member, 100);
    await move("burn", member, 30);
    await gw.deps.webhooks.idle();
    await gw.deps.webhooks.deliver();
    expect(receiver.received.map((r) => JSON.parse(r.rawBody).type)).toEqual(["points.burned"]);
  });

  it("retries a failing receiver on the Svix schedule, moved by the clock, and logs every attempt", async () => {
    receiver.answer(() => ({ status: 503, body: "maintenance until 04:00" }));
    const { endpoint, enrol, move, owner } = await setup();
    const member = await enrol();
    await move("earn", member, 10);
    await receiver.waitFor(1);
    await gw.deps.webhooks.idle();
    for (const [index, delay] of retryDelays.entries()) {
      gw.clock.advance(delay - 1000);
      await gw.deps.webhooks.deliver();
      expect(receiver.received, `not before retry ${index + 2} is due`).toHaveLength(index + 1);
      gw.clock.advance(1000);
      await gw.deps.webhooks.deliver();
      expect(receiver.received, `retry ${index + 2}`).toHaveLength(index + 2);
    }
    gw.clock.advance(30 * DAY);
    await gw.deps.webhooks.deliver();
    expect(receiver.received).toHaveLength(8);
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);

    const token = await gw.token(owner.clientId, owner.secret); // the clock moved past the first token's life
    const log = await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=100`, { token });
    expect(log.body.data).toHaveLength(8);
    expect(log.body.data[0]).toMatchObject({
      attempt: 8,
      outcome: "failed",
      response_status: 503,
      response_excerpt: "maintenance until 04:00",
      event_type: "points.earned",
    });
    expect(log.body.data.map((a: { attempt: number }) => a.attempt)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);

    // Fixed at last: a resend delivers it again at once, with the same webhook-id.
    receiver.answer(() => ({ status: 204 }));
    const eventId = receiver.received[0]?.headers["webhook-id"];
    const resent = await gw.call("POST", `/v1/events/${eventId}/resend`, { token });
    expect(resent.status).toBe(202);
    expect(resent.body.endpoint_ids).toEqual([endpoint.id]);
    await receiver.waitFor(9);
    expect(receiver.received[8]?.headers["webhook-id"]).toBe(eventId);
  });

  it("disables an endpoint that answers 410 Gone and tells the partner", async () => {
    const { endpoint, enrol, move, owner } = await setup();
    const spare = await gw.call("POST", "/v1/webhook-endpoints", {
      token: owner.token,
      body: { url: `${receiver.url}/spare`, event_types: ["webhook_endpoint.disabled"] },
    });
    receiver.answer(() => ({ status: 410 }));
    await move("earn", await enrol(), 10);
    await receiver.waitFor(1);
    await gw.deps.webhooks.idle();
    receiver.answer(() => ({ status: 200 }));
    await gw.deps.webhooks.deliver();
    const read = await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}`, { token: owner.token });
    expect(read.body).toMatchObject({ status: "disabled", disabled_reason: "gone" });
    const notice = receiver.received.find(
      (r) => r.headers["webhook-id"] !== receiver.received[0]?.headers["webhook-id"],
    );
    expect(JSON.parse(notice?.rawBody ?? "{}")).toMatchObject({
      type: "webhook_endpoint.disabled",
      data: { endpoint_id: endpoint.id, reason: "gone" },
    });
    expect(verify(spare.body.secret, notice as never)).toBeTruthy();
    // Disabled: nothing more goes there until the partner enables it again.
    const count = receiver.received.length;
    await move("earn", await enrol(), 10);
    await gw.deps.webhooks.idle();
    await gw.deps.webhooks.deliver();
    expect(receiver.received.length).toBe(count);
    const enabled = await gw.call("PATCH", `/v1/webhook-endpoints/${endpoint.id}`, {
      token: owner.token,
      body: { status: "enabled" },
    });
    expect(enabled.body).toMatchObject({ status: "enabled", disabled_reason: null });
    await move("earn", await enrol(), 10);
    await receiver.waitFor(count + 1);
  });

  it("disables an endpoint after 5 days of failures without a success", async () => {
    receiver.answer(() => ({ status: 500 }));
    const { endpoint, enrol, move, owner } = await setup();
    const member = await enrol();
    await move("earn", member, 10);
    await receiver.waitFor(1);
    await gw.deps.webhooks.idle();
    let token = owner.token;
    for (let day = 1; day <= 5; day++) {
      gw.clock.advance(DAY);
      token = await gw.token(owner.clientId, owner.secret);
      await move("earn", member, 10, { token });
      await gw.deps.webhooks.idle();
      await gw.deps.webhooks.deliver();
      const read = await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}`, { token });
      expect(read.body.status, `day ${day}`).toBe(day < 5 ? "enabled" : "disabled");
    }
    const read = await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}`, { token });
    expect(read.body).toMatchObject({ disabled_reason: "failing" });
    const events = await gw.call("GET", "/v1/events?type=webhook_endpoint.disabled", { token });
    expect(events.body.data).toHaveLength(1);
  });

  it("signs with both secrets for 24 hours after a rotation, then only with the new one", async () => {
    const { endpoint, enrol, move, owner } = await setup();
    const member = await enrol();
    const rotated = await gw.call("POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { token: owner.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    await move("earn", member, 10);
    const [during] = await receiver.waitFor(1);
    if (!during) throw new Error("no webhook");
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verify(endpoint.secret, during)).toBeTruthy();
    expect(verify(rotated.body.secret, during)).toBeTruthy();

    await gw.deps.webhooks.idle();
    gw.clock.advance(DAY + 1000);
    await move("earn", member, 10, { token: await gw.token(owner.clientId, owner.secret) });
    const [, after] = await receiver.waitFor(2);
    if (!after) throw new Error("no webhook");
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verify(rotated.body.secret, after)).toBeTruthy();
    expect(() => verify(endpoint.secret, after)).toThrow();
  });
});

describe("delivery across processes", () => {
  it("delivers events committed by a process that died before sending them", async () => {
    const crashed = await createTestGateway({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
    // This process commits but never gets to deliver: its dispatcher does nothing, as if it died right then.
    crashed.deps.webhooks = deadRunner;
    const { enrol, move } = await setup(crashed);
    const earned = await move("earn", await enrol(), 50);
    expect(earned.status).toBe(201);
    await crashed.close();
    expect(receiver.received).toHaveLength(0);

    const restarted = await createTestGateway({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      DATABASE_URL: crashed.config.DATABASE_URL,
    });
    try {
      await restarted.deps.webhooks.deliver(); // what the interval (Node) or the cron (Workers) does
      expect(receiver.received.map((r) => JSON.parse(r.rawBody).data.id)).toEqual([earned.body.id]);
    } finally {
      await restarted.close();
    }
  });

  it("leaves an attempt claimed by a process that died mid-send until its lease runs out, then sends it once", async () => {
    const crashed = await createTestGateway({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
    crashed.deps.webhooks = deadRunner;
    const { enrol, move } = await setup(crashed);
    await move("earn", await enrol(), 50);
    const survivor = await createTestGateway({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      DATABASE_URL: crashed.config.DATABASE_URL,
    });
    try {
      survivor.clock.set(crashed.clock.now());
      await fanOutEvents(crashed.deps);
      expect(await claimDueDeliveries(crashed.deps)).toHaveLength(1); // claimed, then the process dies
      await crashed.close();
      await survivor.deps.webhooks.deliver();
      expect(receiver.received).toHaveLength(0);
      survivor.clock.advance(2 * 60_000);
      await survivor.deps.webhooks.deliver();
      await survivor.deps.webhooks.deliver();
      expect(receiver.received).toHaveLength(1);
    } finally {
      await survivor.close();
    }
  });

  it("never sends an attempt twice when two dispatchers run at once", async () => {
    const a = await createTestGateway({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
    a.deps.webhooks = deadRunner;
    const b = await createTestGateway({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", DATABASE_URL: a.config.DATABASE_URL });
    const c = await createTestGateway({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", DATABASE_URL: a.config.DATABASE_URL });
    try {
      const { enrol, move } = await setup(a);
      const member = await enrol();
      for (let i = 0; i < 30; i++) await move("earn", member, 1);
      b.clock.set(a.clock.now());
      c.clock.set(a.clock.now());
      await Promise.all([
        b.deps.webhooks.deliver(),
        c.deps.webhooks.deliver(),
        b.deps.webhooks.deliver(),
        c.deps.webhooks.deliver(),
      ]);
      await Promise.all([b.deps.webhooks.idle(), c.deps.webhooks.idle()]);
      const ids = receiver.received.map((r) => r.headers["webhook-id"]);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    } finally {
      await c.close();
      await b.close();
      await a.close();
    }
  });
});

describe("SSRF at delivery time", () => {
  it("refuses a name that resolves to a private address when the attempt is made", async () => {
    // The name looked public when the endpoint was saved; now it resolves to loopback (DNS rebinding).
    const rebinding = nodeTransport({
      allowPrivate: false,
      lookup: ((
        _host: string,
        _options: unknown,
        callback: (e: null, a: { address: string; family: number }[]) => void,
      ) => callback(null, [{ address: "127.0.0.1", family: 4 }])) as never,
    });
    const strict = await createTestGateway({}, { webhookTransport: rebinding });
    try {
      const { owner, enrol, move } = await setupProgram(strict);
      const created = await strict.call("POST", "/v1/webhook-endpoints", {
        token: owner.token,
        body: {
          url: `https://hooks.partner.example:${new URL(receiver.url).port}/hooks`,
          event_types: ["points.earned"],
        },
      });
      expect(created.status).toBe(201);
      await move("earn", await enrol(), 10);
      await strict.deps.webhooks.idle();
      await strict.deps.webhooks.deliver();
      const log = await strict.call("GET", `/v1/webhook-endpoints/${created.body.id}/deliveries`, {
        token: owner.token,
      });
      expect(log.body.data[0]).toMatchObject({ outcome: "failed", response_status: null });
      expect(log.body.data[0].error).toMatch(/resolves to 127\.0\.0\.1/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });
});
