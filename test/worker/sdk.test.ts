import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedHeaders } from "../../gateway/src/webhooks/signer";
import { createClient, verifyWebhook } from "../../sdk/src";
import { operator } from "./support";

/** The SDK inside workerd (fetch and Web APIs only), calling the Worker's own fetch handler. */
const workerFetch: typeof fetch = (input, init) => exports.default.fetch(new Request(input, init));

describe("the SDK on Workers", () => {
  it("gets a token, onboards a partner and enrols a member through the Worker", async () => {
    const gateway = createClient({
      baseUrl: "https://gateway.test",
      clientId: operator.clientId,
      clientSecret: operator.secret,
      fetch: workerFetch,
    });
    const partner = await gateway.post("/v1/partners", {
      body: { name: "Edge Partner", contact_email: "edge@partner.example" },
    });
    const program = await gateway.post("/v1/programs", {
      body: {
        partner_id: partner.id,
        name: "Edge Rewards",
        point_name: "point",
        settlement_currency: "EUR",
        issue_price_micros: 9_000,
        redeem_price_micros: 7_000,
      },
    });
    const partnerClient = createClient({
      baseUrl: "https://gateway.test",
      clientId: partner.credentials.client_id,
      clientSecret: partner.credentials.client_secret ?? "",
      fetch: workerFetch,
    });
    const member = await partnerClient.post("/v1/programs/{program_id}/members", {
      params: { path: { program_id: program.id } },
      body: { external_id: "E-1" },
    });
    expect(member).toMatchObject({ external_id: "E-1", program_id: program.id });
  });

  it("verifies what the gateway signs, and refuses a tampered body", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const payload = JSON.stringify({ type: "points.earned", timestamp: new Date().toISOString(), data: { points: 5 } });
    const headers = signedHeaders([secret], { eventId: "evt_edge", at: new Date(), payload });
    expect(verifyWebhook(payload, headers, secret)).toMatchObject({
      id: "evt_edge",
      event: { type: "points.earned", data: { points: 5 } },
    });
    expect(() => verifyWebhook(payload.replace("5", "6"), headers, secret)).toThrow();
  });
});
