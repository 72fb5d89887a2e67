import { base64url, createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { onboardPartner } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Target } from "./target";

/**
 * The basics every request meets: request ids and unknown routes, `POST /oauth/token` (client credentials by
 * form, Basic and JSON; refusals; narrowed scopes), access tokens (verifiable with the JWKS, refused when bad
 * or expired) and signing key rotation.
 */
export function authScenarios(target: Target) {
  const gw = connect(target);
  const grant = (fields: Record<string, string>) =>
    gw.call("POST", "/oauth/token", { form: { grant_type: "client_credentials", ...fields } });
  const operatorForm = () => ({ client_id: gw.operator.clientId, client_secret: gw.operator.secret });

  describe("requests", () => {
    it("get a Request-Id each, and an unknown route answers 404 problem+json carrying it", async () => {
      const ok = await gw.call("GET", "/.well-known/jwks.json");
      expect(ok.headers.get("Request-Id")).toMatch(/^req_[0-9a-z]{26}$/);
      const missing = await gw.call("GET", "/v1/nothing-here");
      const problem = expectProblem(missing, 404, "not_found");
      expect(missing.headers.get("Request-Id")).toMatch(/^req_[0-9a-z]{26}$/);
      expect(problem).toEqual({
        type: "urn:coalition-gateway:problem:not_found",
        title: expect.any(String),
        status: 404,
        detail: expect.stringContaining("GET /v1/nothing-here"),
        code: "not_found",
        request_id: missing.headers.get("Request-Id"),
      });
    });
  });

  describe("POST /oauth/token", () => {
    it("issues an operator token for form-encoded client credentials", async () => {
      const answer = await grant(operatorForm());
      const token = expectBody(answer, op.getToken, 200);
      expect(answer.headers.get("Cache-Control")).toBe("no-store");
      expect(token).toMatchObject({ token_type: "Bearer", expires_in: 900, scope: "operator" });
      expect(token.access_token.split(".")).toHaveLength(3);
    });

    it("accepts HTTP Basic and JSON bodies", async () => {
      const credentials = `${encodeURIComponent(gw.operator.clientId)}:${encodeURIComponent(gw.operator.secret)}`;
      const viaBasic = await gw.call("POST", "/oauth/token", {
        form: { grant_type: "client_credentials" },
        headers: { Authorization: `Basic ${btoa(credentials)}` },
      });
      expectBody(viaBasic, op.getToken, 200);
      const viaJson = await gw.call("POST", "/oauth/token", {
        body: { grant_type: "client_credentials", ...operatorForm() },
      });
      expectBody(viaJson, op.getToken, 200);
    });

    it("refuses a wrong secret and an unknown client alike: 401 invalid_client with WWW-Authenticate", async () => {
      for (const fields of [
        { client_id: gw.operator.clientId, client_secret: `${gw.operator.secret}x` },
        { client_id: "ci_nobody", client_secret: "x" },
      ]) {
        const answer = await grant(fields);
        expectProblem(answer, 401, "unauthorized", fields.client_id);
        expect(answer.headers.get("WWW-Authenticate")).toMatch(/^Basic/);
        expect(answer.body).toMatchObject({ error: "invalid_client" });
        expect(answer.body).not.toHaveProperty("access_token");
      }
    });

    it("refuses other grant types, missing fields, junk bodies and other content types", async () => {
      const password = await gw.call("POST", "/oauth/token", {
        form: { grant_type: "password", username: "a", password: "b" },
      });
      expectProblem(password, 400, "unsupported_grant_type");
      expect(password.body).toMatchObject({ error: "unsupported_grant_type" });
      const missing = expectProblem(await gw.call("POST", "/oauth/token", { form: {} }), 400, "validation_failed");
      expect(missing.errors?.[0]?.path).toBe("grant_type");
      expectProblem(await gw.call("POST", "/oauth/token", { body: "{not json" }), 400, "validation_failed");
      const xml = await gw.call("POST", "/oauth/token", {
        body: "<a/>",
        headers: { "Content-Type": "application/xml" },
      });
      expectProblem(xml, 415, "unsupported_media_type");
    });

    it("narrows scopes on request and refuses scopes the credential does not have", async () => {
      const partner = await onboardPartner(gw);
      const fields = { client_id: partner.clientId, client_secret: partner.secret };
      expect(expectBody(await grant({ ...fields, scope: "members:read" }), op.getToken, 200).scope).toBe(
        "members:read",
      );
      expectProblem(await grant({ ...fields, scope: "operator" }), 400, "invalid_scope");
    });

    it("signs in a partner the operator just onboarded, with the secret shown once", async () => {
      const created = await gw.call("POST", "/v1/partners", {
        as: gw.operator,
        body: { name: "Edge Partner", contact_email: "edge@partner.example" },
      });
      const partner = expectBody(created, op.createPartner, 201);
      expect(partner).toMatchObject({ id: expect.stringMatching(/^ptn_/), status: "active" });
      const { client_id, client_secret } = partner.credentials;
      expect(client_secret).toMatch(/^cs_/);
      // The credential was written together with the partner: it signs in at once.
      const token = expectBody(await grant({ client_id, client_secret: client_secret ?? "" }), op.getToken, 200);
      expect(token.scope.split(" ")).toContain("points:earn");
    });
  });

  describe("access tokens", () => {
    it("verify against the published JWKS with iss, aud, kid and a lifetime of at most 15 minutes", async () => {
      const token = await gw.token(gw.operator);
      const jwks = expectBody(await gw.call("GET", "/.well-known/jwks.json"), op.getJwks, 200);
      for (const key of jwks.keys) expect(key).not.toHaveProperty("d");
      const header = decodeProtectedHeader(token);
      expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt" });
      expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
        audience: "coalition-gateway",
        currentDate: gw.clock.now(),
      });
      expect(payload.iss).toMatch(/^https?:\/\//);
      expect(payload).toMatchObject({ sub: "operator", client_id: gw.operator.clientId, scope: "operator" });
      expect(payload.jti).toEqual(expect.any(String));
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(900);
    });

    it("are refused when missing, malformed, tampered, forged, unsigned, for another audience or expired", async () => {
      const token = (await grant(operatorForm())).body as { access_token: string };
      const [header, payload, signature] = token.access_token.split(".");
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
      const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
      const tampered = `${header}.${encode({ ...claims, sub: "ptn_someone" })}.${signature}`;
      const { kid } = decodeProtectedHeader(token.access_token);
      const { privateKey } = await generateKeyPair("ES256");
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
        .sign(privateKey);
      const wrongAudience = await new SignJWT({ ...claims, aud: "someone-else" })
        .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
        .sign(privateKey);
      const unsigned = `${encode({ alg: "none", typ: "at+jwt" })}.${payload}.`;
      for (const bad of [undefined, "garbage", tampered, forged, wrongAudience, unsigned]) {
        const answer = await gw.call("GET", "/v1/partners", { token: bad });
        expectProblem(answer, 401, "unauthorized", String(bad));
        expect(answer.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="coalition-gateway"/);
      }
      expectBody(await gw.call("GET", "/v1/partners", { token: token.access_token }), op.listPartners, 200);
      gw.clock.advance(16 * 60_000);
      const expired = await gw.call("GET", "/v1/partners", { token: token.access_token });
      expect(expectProblem(expired, 401, "unauthorized").detail).toMatch(/expired/);
    });
  });

  describe("signing key rotation", () => {
    it("keeps the previous public key published and its tokens valid, until they have all expired", async () => {
      const before = ((await grant(operatorForm())).body as { access_token: string }).access_token;
      const oldKid = decodeProtectedHeader(before).kid;
      const rotated = expectBody(
        await gw.call("POST", "/v1/signing-keys/rotate", { token: before }),
        op.rotateSigningKey,
        201,
      );
      expect(rotated.kid).not.toBe(oldKid);
      expect(rotated.published_kids).toEqual(expect.arrayContaining([rotated.kid, oldKid]));
      const after = ((await grant(operatorForm())).body as { access_token: string }).access_token;
      expect(decodeProtectedHeader(after).kid).toBe(rotated.kid);
      for (const token of [before, after])
        expectBody(await gw.call("GET", "/v1/partners", { token }), op.listPartners, 200);
      // Once every token of the old key has expired, the old key leaves the JWKS.
      gw.clock.advance(60 * 60_000);
      const jwks = expectBody(await gw.call("GET", "/.well-known/jwks.json"), op.getJwks, 200);
      expect(jwks.keys.map((k) => k.kid)).toEqual([rotated.kid]);
    });
  });
}
