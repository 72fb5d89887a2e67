import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, operatorCredential, type TestGateway } from "../support/gateway";

// What needs the Node gateway's own signing key. POST /oauth/token, access tokens and key rotation on every
// runtime are test/scenarios/auth.ts.

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw.close());

describe("access tokens", () => {
  it("signed by our own key but with the wrong audience are refused", async () => {
    const { key, kid } = await gw.deps.keys.signingKey();
    const now = Math.floor(gw.clock.now().getTime() / 1000);
    const token = await new SignJWT({ client_id: operatorCredential.clientId, scope: "operator" })
      .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
      .setIssuer(gw.config.PUBLIC_URL)
      .setAudience("another-api")
      .setSubject("operator")
      .setJti("x")
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key);
    const response = await gw.call("GET", "/v1/partners", { token });
    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(/aud/);
  });
});
