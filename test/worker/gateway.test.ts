import { describe, expect, it } from "vitest";
import { call, createPartner, operator, tokenFor } from "./support";

const problemJson = /^application\/problem\+json/;

describe("the gateway on Workers, over D1", () => {
  it("answers an unknown route with 404 problem+json carrying the request id", async () => {
    const answer = await call("GET", "/nope");
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toMatch(problemJson);
    const requestId = answer.headers.get("Request-Id");
    expect(requestId).toMatch(/^req_[0-9a-z]{26}$/);
    expect(answer.body).toMatchObject({ status: 404, code: "not_found", request_id: requestId });
    expect(answer.body.detail).toContain("GET /nope");
  });

  it("refuses a request without a token with 401 and WWW-Authenticate", async () => {
    const answer = await call("POST", "/v1/partners", { body: { name: "Nobody", contact_email: "x@example.com" } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("content-type")).toMatch(problemJson);
    expect(answer.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
    expect(answer.body.code).toBe("unauthorized");
  });

  it("gives the operator an access token for its client credentials", async () => {
    const answer = await call("POST", "/oauth/token", {
      form: { grant_type: "client_credentials", client_id: operator.clientId, client_secret: operator.secret },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: expect.stringMatching(/^bearer$/i) });
    expect(answer.body.access_token.split(".")).toHaveLength(3);
    expect(answer.body.expires_in).toBeGreaterThan(0);
  });

  it("refuses a wrong operator secret", async () => {
    const answer = await call("POST", "/oauth/token", {
      form: { grant_type: "client_credentials", client_id: operator.clientId, client_secret: `${operator.secret}x` },
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body?.access_token).toBeUndefined();
  });

  it("lets the operator onboard a partner, whose secret then signs in", async () => {
    const created = await createPartner(await tokenFor(operator.clientId, operator.secret));
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^ptn_/);
    expect(created.body.status).toBe("active");
    const { client_id, client_secret } = created.body.credentials;
    expect(typeof client_secret).toBe("string");
    // The credential was written to D1 together with the partner (one batch): it can sign in at once.
    await expect(tokenFor(client_id, client_secret)).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("forbids a partner's token from onboarding partners (403)", async () => {
    const created = await createPartner(await tokenFor(operator.clientId, operator.secret));
    expect(created.status).toBe(201);
    const partnerToken = await tokenFor(created.body.credentials.client_id, created.body.credentials.client_secret);
    const answer = await createPartner(partnerToken);
    expect(answer.status).toBe(403);
    expect(answer.headers.get("content-type")).toMatch(problemJson);
    expect(answer.body.code).toBe("forbidden");
  });
});
