import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { webhookEndpoints } from "../../gateway/src/db/schema";
import { claimDueDeliveries, fanOutEvents } from "../../gateway/src/webhooks/dispatcher";
import { nodeTransport } from "../../gateway/src/webhooks/node-transport";
import type { WebhookRunner } from "../../gateway/src/webhooks/runner";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";
import { startReceiver } from "../support/receiver";

// What only the Node gateway shows: its own address checks, processes that die, and DNS at delivery time.
// Endpoints and delivery on every runtime are test/scenarios/webhooks.ts.

let receiver: Awaited<ReturnType<typeof startReceiver>>;
// A receiver of its own for each test: retries of an earlier test's events never reach a later test.
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

/** The dispatcher of a process that died right after committing: it never sends anything. */
const deadRunner: WebhookRunner = { kick: () => {}, deliver: async () => 0, idle: async () => {} };

/** A program and an endpoint of its owner on the receiver, subscribed to points.earned. */
async function setup(g: TestGateway) {
  const program = await setupProgram(g);
  const created = await g.call("POST", "/v1/webhook-endpoints", {
    token: program.owner.token,
    body: { url: receiver.url, event_types: ["points.earned"], description: "test receiver" },
  });
  if (created.status !== 201) throw new Error(`endpoint: ${created.status} ${created.text}`);
  return program;
}

describe("webhook endpoints", () => {
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
