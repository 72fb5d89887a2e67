import { createLocalJWKSet, decodeProtectedHeader, generateKeyPair, importJWK, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, operatorCredential, type TestGateway } from "../support/gateway";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw.close());

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});
const basic = (id: string, secret: string) =>
  `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`;

describe("POST /oauth/token", () => {
  it("issues a token for form-encoded client credentials", async () => {
    const response = await gw.call(
      "POST",
      "/oauth/token",
      form({
        grant_type: "client_credentials",
        client_id: operatorCredential.clientId,
        client_secret: operatorCredential.secret,
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toMatchObject({ token_type: "Bearer", expires_in: 900, scope: "operator" });
  });

  it("accepts HTTP Basic and JSON bodies", async () => {
    const viaBasic = await gw.call("POST", "/oauth/token", {
      ...form({ grant_type: "client_credentials" }),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: basic(operatorCredential.clientId, operatorCredential.secret),
      },
    });
    expect(viaBasic.status).toBe(200);
    const viaJson = await gw.call("POST", "/oauth/token", {
      body: {
        grant_type: "client_credentials",
        client_id: operatorCredential.clientId,
        client_secret: operatorCredential.secret,
      },
    });
    expect(viaJson.status).toBe(200);
  });

  it("refuses a wrong secret with 401 invalid_client and WWW-Authenticate", async () => {
    const response = await gw.call(
      "POST",
      "/oauth/token",
      form({ grant_type: "client_credentials", client_id: operatorCredential.clientId, client_secret: "wrong" }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(response.body).toMatchObject({ code: "unauthorized", error: "invalid_client", status: 401 });
  });

  it("refuses an unknown client the same way", async () => {
    const response = await gw.call(
      "POST",
      "/oauth/token",
      form({ grant_type: "client_credentials", client_id: "ci_nobody", client_secret: "x" }),
    );
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("invalid_client");
  });

  it("refuses other grant types, missing fields, junk bodies and other content types", async () => {
    const password = await gw.call(
      "POST",
      "/oauth/token",
      form({ grant_type: "password", username: "a", password: "b" }),
    );
    expect(password.status).toBe(400);
    expect(password.body).toMatchObject({ code: "unsupported_grant_type", error: "unsupported_grant_type" });
    const missing = await gw.call("POST", "/oauth/token", form({}));
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe("grant_type");
    const junk = await gw.call("POST", "/oauth/token", {
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(junk.status).toBe(400);
    const xml = await gw.call("POST", "/oauth/token", { body: "<a/>", headers: { "Content-Type": "application/xml" } });
    expect(xml.status).toBe(415);
  });

  it("narrows scopes on request and refuses scopes the credential does not have", async () => {
    const partner = await gw.onboardPartner();
    const narrowed = await gw.call(
      "POST",
      "/oauth/token",
      form({
        grant_type: "client_credentials",
        client_id: partner.clientId,
        client_secret: partner.secret,
        scope: "members:read",
      }),
    );
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe("members:read");
    const escalated = await gw.call(
      "POST",
      "/oauth/token",
      form({
        grant_type: "client_credentials",
        client_id: partner.clientId,
        client_secret: partner.secret,
        scope: "operator",
      }),
    );
    expect(escalated.status).toBe(400);
    expect(escalated.body.code).toBe("invalid_scope");
  });
});

describe("access tokens", () => {
  it("verify against the published JWKS with iss, aud, kid and a lifetime of at most 15 minutes", async () => {
    const token = await gw.operatorToken();
    const jwks = await gw.call("GET", "/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    for (const key of jwks.body.keys) expect(key).not.toHaveProperty("d");
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.body), {
      issuer: gw.config.PUBLIC_URL,
      audience: gw.config.JWT_AUDIENCE,
      currentDate: gw.clock.now(),
    });
    expect(payload).toMatchObject({ sub: "operator", client_id: operatorCredential.clientId, scope: "operator" });
    expect(payload.jti).toEqual(expect.any(String));
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(900);
  });

  it("are refused when missing, malformed, tampered, forged, expired or for another audience", async () => {
    const token = await gw.operatorToken();
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "ptn_someone" })).toString("base64url")}.${signature}`;
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: decodeProtectedHeader(token).kid, typ: "at+jwt" })
      .sign(privateKey);
    const wrongAudience = await new SignJWT({ ...claims, aud: "someone-else" })
      .setProtectedHeader({ alg: "ES256", kid: decodeProtectedHeader(token).kid, typ: "at+jwt" })
      .sign(privateKey);
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${payload}.`;
    for (const bad of [undefined, "garbage", tampered, forged, wrongAudience, none]) {
      const response = await gw.call("GET", "/v1/partners", { token: bad });
      expect(response.status, String(bad)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="coalition-gateway"/);
      expect(response.body.code).toBe("unauthorized");
    }
    gw.clock.advance(16 * 60_000);
    const expired = await gw.call("GET", "/v1/partners", { token });
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/);
  });

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

describe("signing key rotation", () => {
  it("keeps the previous public key published and its tokens valid", async () => {
    const before = await gw.operatorToken();
    const oldKid = decodeProtectedHeader(before).kid;
    const rotated = await gw.call("POST", "/v1/signing-keys/rotate", { token: before });
    expect(rotated.status).toBe(201);
    expect(rotated.body.kid).not.toBe(oldKid);
    expect(rotated.body.published_kids).toEqual(expect.arrayContaining([rotated.body.kid, oldKid]));
    const after = await gw.operatorToken();
    expect(decodeProtectedHeader(after).kid).toBe(rotated.body.kid);
    expect((await gw.call("GET", "/v1/partners", { token: before })).status).toBe(200);
    expect((await gw.call("GET", "/v1/partners", { token: after })).status).toBe(200);
    // Once every token of the old key has expired, the old key leaves the JWKS.
    gw.clock.advance(60 * 60_000);
    const jwks = await gw.call("GET", "/.well-known/jwks.json");
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([rotated.body.kid]);
    await importJWK(jwks.body.keys[0], "ES256");
  });
});
