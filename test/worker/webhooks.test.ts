import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createWorker, type WorkerEnv } from "../../gateway/src/worker";
import { callThrough, operator, setupProgram, tokenFor } from "./support";

describe("webhook delivery on Workers, over D1", () => {
  it("attempts the delivery in waitUntil after the write and logs the attempt", async () => {
    const operatorToken = await tokenFor(operator.clientId, operator.secret);
    const { owner, programId, enrol } = await setupProgram(operatorToken);
    // Through a Worker instance whose execution context the test waits on, so waitUntil work is done.
    const send = callThrough(createWorker(), env as unknown as WorkerEnv);
    const endpoint = await send("POST", "/v1/webhook-endpoints", {
      token: owner.token,
      body: { url: "https://hooks.partner.invalid/loyalty", event_types: ["points.earned"] },
    });
    expect(endpoint.status).toBe(201);
    const { externalId } = await enrol();
    const earned = await send("POST", "/v1/transactions/earn", {
      token: owner.token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { program_id: programId, external_id: externalId, points: 10, reference: "r" },
    });
    expect(earned.status).toBe(201);
    const log = await send("GET", `/v1/webhook-endpoints/${endpoint.body.id}/deliveries`, { token: owner.token });
    expect(log.body.data).toEqual([
      expect.objectContaining({ attempt: 1, outcome: "failed", event_type: "points.earned", response_status: null }),
    ]);
    expect(log.body.data[0].error).toEqual(expect.any(String));
  });
});
