import { describe, expect, it } from "vitest";
import { retryDelays } from "../../gateway/src/webhooks/schedule";
import { addWebhookEndpoint, onboardPartner, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Received, Target } from "./target";
import { verifyReceived as verify } from "./verify-webhook";

const DAY = 24 * 3_600_000;

/**
 * Webhook endpoints and delivery: signed right after the commit, only what was subscribed, retried on the
 * schedule as the clock moves, endpoints disabled when gone or failing, two secrets after a rotation.
 */
export function webhookScenarios(target: Target) {
  const gw = connect(target);

  /** A program, a receiver, and an endpoint of the program's owner there, subscribed to `types`. */
  async function setup(types = ["points.earned", "points.burned", "webhook_endpoint.disabled"]) {
    const program = await setupProgram(gw);
    const receiver = await gw.receiver();
    return { ...program, receiver, endpoint: await addWebhookEndpoint(gw, program.owner, receiver.url, types) };
  }

  const typeOf = (received: Received) => JSON.parse(received.rawBody).type as string;

  describe("webhook endpoints", () => {
    it("creates an endpoint with a whsec_ secret of at least 24 random bytes, shown only then", async () => {
      const { endpoint, owner, receiver } = await setup();
      expect(endpoint.secret).toMatch(/^whsec_/);
      expect(atob(endpoint.secret.slice(6)).length).toBeGreaterThanOrEqual(24);
      const path = `/v1/webhook-endpoints/${endpoint.id}`;
      const read = expectBody(await gw.call("GET", path, { as: owner }), op.getWebhookEndpoint, 200);
      expect(read).toMatchObject({ id: endpoint.id, url: receiver.url, status: "enabled", disabled_reason: null });
      expect(read).not.toHaveProperty("secret");
      const list = expectBody(
        await gw.call("GET", "/v1/webhook-endpoints", { as: owner }),
        op.listWebhookEndpoints,
        200,
      );
      expect(list.data.map((e) => e.id)).toEqual([endpoint.id]);
      const update = async (body: unknown) =>
        expectBody(await gw.call("PATCH", path, { as: owner, body }), op.updateWebhookEndpoint, 200);
      expect(await update({ disabled: true })).toMatchObject({ status: "disabled", disabled_reason: "manual" });
      expect(await update({ status: "enabled" })).toMatchObject({ status: "enabled", disabled_reason: null });
      const contradiction = await gw.call("PATCH", path, { as: owner, body: { status: "enabled", disabled: true } });
      expectProblem(contradiction, 400, "validation_failed");
    });

    it("refuses bad input with a problem naming the field, and another partner's endpoint is 404", async () => {
      const { endpoint, owner, receiver } = await setup();
      const bad = await gw.call("POST", "/v1/webhook-endpoints", {
        as: owner,
        body: { url: receiver.url, event_types: ["points.teleported"] },
      });
      expect(expectProblem(bad, 400, "validation_failed").errors?.[0]?.path).toBe("event_types[0]");
      const other = await onboardPartner(gw);
      for (const [method, path] of [
        ["GET", `/v1/webhook-endpoints/${endpoint.id}`],
        ["PATCH", `/v1/webhook-endpoints/${endpoint.id}`],
        ["DELETE", `/v1/webhook-endpoints/${endpoint.id}`],
        ["POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`],
        ["GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`],
      ] as const) {
        const answer = await gw.call(method, path, { as: other, body: method === "PATCH" ? {} : undefined });
        expectProblem(answer, 404, "not_found", `${method} ${path}`);
      }
    });

    it("sends a signed test event to the one endpoint asked, whatever its types; a disabled one answers 409", async () => {
      const { endpoint, owner, receiver } = await setup(["points.burned"]);
      // Another endpoint of the partner, even one subscribed to the test type, gets nothing.
      const bystander = await gw.receiver();
      await addWebhookEndpoint(gw, owner, bystander.url, ["points.burned", "webhook_endpoint.test"]);
      const path = `/v1/webhook-endpoints/${endpoint.id}/test`;
      const sent = expectBody(await gw.call("POST", path, { as: owner }), op.sendWebhookTestEvent, 202);
      expect(sent).toMatchObject({ event_id: expect.stringMatching(/^evt_/), endpoint_id: endpoint.id });
      await gw.settle();
      const tests = receiver.received.filter((received) => typeOf(received) === "webhook_endpoint.test");
      expect(tests).toHaveLength(1);
      expect(verify(endpoint.secret, tests[0])).toMatchObject({
        type: "webhook_endpoint.test",
        data: { endpoint_id: endpoint.id, url: receiver.url },
      });
      expect(tests[0]?.headers["webhook-id"]).toBe(sent.event_id);
      expect(bystander.received).toEqual([]);
      const log = expectBody(
        await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries?event_id=${sent.event_id}`, {
          as: owner,
        }),
        op.listWebhookDeliveries,
        200,
      );
      expect(log.data).toEqual([
        expect.objectContaining({ event_type: "webhook_endpoint.test", outcome: "succeeded", response_status: 200 }),
      ]);

      await gw.call("PATCH", `/v1/webhook-endpoints/${endpoint.id}`, { as: owner, body: { status: "disabled" } });
      expectProblem(await gw.call("POST", path, { as: owner }), 409, "conflict");
      expectProblem(await gw.call("POST", path, { as: await onboardPartner(gw) }), 404, "not_found");
    });
  });

  describe("delivery", () => {
    it("delivers right after the commit, signed: the SDK verifies the raw body; ids dedupe; bodies stay small", async () => {
      const { endpoint, enrol, earn, owner, receiver } = await setup();
      const { externalId } = await enrol();
      const earned = await earn(externalId, 120);
      // No job run: the write's own request started the delivery.
      await gw.settle();
      const webhook = receiver.received.find((received) => typeOf(received) === "points.earned");
      expect(verify(endpoint.secret, webhook)).toMatchObject({
        type: "points.earned",
        data: { id: earned.id, points: 120 },
      });
      expect(webhook?.headers["webhook-id"]).toMatch(/^evt_/);
      expect(webhook?.headers["content-type"]).toBe("application/json");
      expect(new TextEncoder().encode(webhook?.rawBody).length).toBeLessThan(20_000);
      expect(() =>
        verify(endpoint.secret, { headers: webhook?.headers ?? {}, rawBody: `${webhook?.rawBody} ` }),
      ).toThrow();

      const events = expectBody(
        await gw.call("GET", "/v1/events?type=points.earned", { as: owner }),
        op.listEvents,
        200,
      );
      expect(events.data[0]).toMatchObject({ id: webhook?.headers["webhook-id"], type: "points.earned" });
    });

    it("logs an attempt that never reached its receiver with the error and no status", async () => {
      const { enrol, earn, owner } = await setupProgram(gw);
      // .invalid never resolves (RFC 6761), so the attempt fails before any HTTP exchange.
      const endpoint = await addWebhookEndpoint(gw, owner, "https://hooks.partner.invalid/loyalty", ["points.earned"]);
      await earn((await enrol()).externalId, 10);
      await gw.settle();
      const log = expectBody(
        await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`, { as: owner }),
        op.listWebhookDeliveries,
        200,
      );
      expect(log.data).toEqual([
        expect.objectContaining({ attempt: 1, outcome: "failed", event_type: "points.earned", response_status: null }),
      ]);
      expect(log.data[0]?.error).toEqual(expect.any(String));
      // Deleted, so the later scenarios' job runs do not retry it.
      expect((await gw.call("DELETE", `/v1/webhook-endpoints/${endpoint.id}`, { as: owner })).status).toBe(200);
    });

    it("sends only the event types an endpoint subscribed to", async () => {
      const { enrol, earn, burn, receiver } = await setup(["points.burned"]);
      const { externalId } = await enrol();
      await earn(externalId, 100);
      await burn(externalId, 30);
      await gw.settle();
      await gw.runJobs();
      expect(receiver.received.map(typeOf)).toEqual(["points.burned"]);
    });

    it("retries a failing receiver on the Svix schedule, moved by the clock, logs every attempt, and resends", async () => {
      const { endpoint, enrol, earn, owner, receiver } = await setup(["points.earned"]);
      receiver.answer(() => ({ status: 503, body: "maintenance until 04:00" }));
      await earn((await enrol()).externalId, 10);
      await gw.settle();
      expect(receiver.received).toHaveLength(1);
      for (const [index, delay] of retryDelays.entries()) {
        gw.clock.advance(delay - 1000);
        await gw.runJobs();
        expect(receiver.received, `not before retry ${index + 2} is due`).toHaveLength(index + 1);
        gw.clock.advance(1000);
        await gw.runJobs();
        expect(receiver.received, `retry ${index + 2}`).toHaveLength(index + 2);
      }
      gw.clock.advance(30 * DAY);
      await gw.runJobs();
      expect(receiver.received).toHaveLength(8);
      expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);

      const log = expectBody(
        await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=100`, { as: owner }),
        op.listWebhookDeliveries,
        200,
      );
      expect(log.data).toHaveLength(8);
      expect(log.data[0]).toMatchObject({
        attempt: 8,
        outcome: "failed",
        response_status: 503,
        response_excerpt: "maintenance until 04:00",
        event_type: "points.earned",
      });
      expect(log.data.map((a) => a.attempt)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);

      // Fixed at last: a resend delivers it again at once, with the same webhook-id.
      receiver.answer(() => ({ status: 204 }));
      const eventId = receiver.received[0]?.headers["webhook-id"];
      const resent = expectBody(
        await gw.call("POST", `/v1/events/${eventId}/resend`, { as: owner }),
        op.resendEvent,
        202,
      );
      expect(resent.endpoint_ids).toEqual([endpoint.id]);
      await gw.settle();
      expect(receiver.received).toHaveLength(9);
      expect(receiver.received[8]?.headers["webhook-id"]).toBe(eventId);
    });

    it("disables an endpoint that answers 410 Gone and tells the partner", async () => {
      const { endpoint, enrol, earn, owner, receiver } = await setup();
      const spare = await gw.receiver();
      const spareEndpoint = await addWebhookEndpoint(gw, owner, spare.url, ["webhook_endpoint.disabled"]);
      receiver.answer(() => ({ status: 410 }));
      await earn((await enrol()).externalId, 10);
      await gw.settle();
      await gw.runJobs();
      const path = `/v1/webhook-endpoints/${endpoint.id}`;
      const read = expectBody(await gw.call("GET", path, { as: owner }), op.getWebhookEndpoint, 200);
      expect(read).toMatchObject({ status: "disabled", disabled_reason: "gone" });
      expect(receiver.received).toHaveLength(1);
      expect(spare.received.map((r) => JSON.parse(r.rawBody))).toEqual([
        expect.objectContaining({
          type: "webhook_endpoint.disabled",
          data: expect.objectContaining({ endpoint_id: endpoint.id, reason: "gone" }),
        }),
      ]);
      expect(verify(spareEndpoint.secret, spare.received[0])).toBeTruthy();

      // Disabled: nothing more goes there, not even later; enabled again, new events go there again.
      receiver.answer(() => ({ status: 200 }));
      await earn((await enrol()).externalId, 10);
      await gw.settle();
      await gw.runJobs();
      expect(receiver.received).toHaveLength(1);
      const enabled = expectBody(
        await gw.call("PATCH", path, { as: owner, body: { status: "enabled" } }),
        op.updateWebhookEndpoint,
        200,
      );
      expect(enabled).toMatchObject({ status: "enabled", disabled_reason: null });
      const fresh = await earn((await enrol()).externalId, 10);
      await gw.settle();
      await gw.runJobs();
      const earned = receiver.received.slice(1).filter((received) => typeOf(received) === "points.earned");
      expect(earned.map((received) => JSON.parse(received.rawBody).data.id)).toEqual([fresh.id]);
    });

    it("disables an endpoint after 5 days of failures without a success", async () => {
      const { endpoint, enrol, earn, owner, receiver } = await setup();
      receiver.answer(() => ({ status: 500 }));
      const { externalId } = await enrol();
      await earn(externalId, 10);
      await gw.settle();
      const read = async () =>
        expectBody(
          await gw.call("GET", `/v1/webhook-endpoints/${endpoint.id}`, { as: owner }),
          op.getWebhookEndpoint,
          200,
        );
      for (let day = 1; day <= 5; day++) {
        gw.clock.advance(DAY);
        await earn(externalId, 10);
        await gw.settle();
        await gw.runJobs();
        expect((await read()).status, `day ${day}`).toBe(day < 5 ? "enabled" : "disabled");
      }
      expect(await read()).toMatchObject({ disabled_reason: "failing" });
      const events = expectBody(
        await gw.call("GET", "/v1/events?type=webhook_endpoint.disabled", { as: owner }),
        op.listEvents,
        200,
      );
      expect(events.data).toHaveLength(1);
    });

    it("signs with both secrets for 24 hours after a rotation, then only with the new one", async () => {
      const { endpoint, enrol, earn, owner, receiver } = await setup(["points.earned"]);
      const { externalId } = await enrol();
      const rotated = expectBody(
        await gw.call("POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { as: owner }),
        op.rotateWebhookEndpointSecret,
        200,
      );
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(endpoint.secret);
      await earn(externalId, 10);
      await gw.settle();
      const [during] = receiver.received;
      expect(String(during?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      expect(verify(endpoint.secret, during)).toBeTruthy();
      expect(verify(String(rotated.secret), during)).toBeTruthy();

      gw.clock.advance(DAY + 1000);
      await earn(externalId, 10);
      await gw.settle();
      const [, after] = receiver.received;
      expect(String(after?.headers["webhook-signature"]).split(" ")).toHaveLength(1);
      expect(verify(String(rotated.secret), after)).toBeTruthy();
      expect(() => verify(endpoint.secret, after)).toThrow();
    });
  });
}
