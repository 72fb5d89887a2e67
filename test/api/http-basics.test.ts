import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";

let gw: TestGateway;
let operator: string;
beforeAll(async () => {
  gw = await createTestGateway({ BODY_LIMIT_BYTES: "2048" });
  operator = await gw.operatorToken();
});
afterAll(() => gw.close());

const problemShape = {
  type: expect.stringMatching(/^urn:coalition-gateway:problem:/),
  title: expect.any(String),
  status: expect.any(Number),
  detail: expect.any(String),
  code: expect.any(String),
  request_id: expect.stringMatching(/^req_/),
};

describe("HTTP basics", () => {
  it("answers malformed JSON, wrong types and non-objects with 400 problem JSON", async () => {
    for (const body of ["{", "null", "[]", '"text"', "123", '{"name": 5, "contact_email": []}']) {
      const response = await gw.call("POST", "/v1/partners", {
        token: operator,
        body,
        headers: { "Content-Type": "application/json" },
      });
      expect(response.status, body).toBe(400);
      expect(response.body).toMatchObject({ ...problemShape, code: "validation_failed" });
    }
  });

  it("answers a wrong content type with 415 and an oversize body with 413", async () => {
    const form = await gw.call("POST", "/v1/partners", {
      token: operator,
      body: "name=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect(form.body.code).toBe("unsupported_media_type");
    const huge = await gw.call("POST", "/v1/partners", {
      token: operator,
      body: { name: "x".repeat(10_000), contact_email: "a@b.example" },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe("payload_too_large");
  });

  it("sets secure headers and CORS only on public documents", async () => {
    const response = await gw.call("GET", "/.well-known/jwks.json", { headers: { Origin: "https://example.com" } });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age/);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const api = await gw.call("GET", "/v1/partners", { token: operator, headers: { Origin: "https://example.com" } });
    expect(api.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("writes one structured log line per request with id, partner, route, status and duration", async () => {
    const partner = await gw.onboardPartner();
    gw.logs.length = 0;
    const response = await gw.call("GET", "/v1/programs", { token: partner.token });
    const lines = gw.logs.filter((line) => line.message === "request");
    expect(lines).toEqual([
      expect.objectContaining({
        request_id: response.headers.get("request-id"),
        partner_id: partner.partner.id,
        route: "/v1/programs",
        status: 200,
        duration_ms: expect.any(Number),
      }),
    ]);
  });
});
