import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials, idempotencyKeys } from "../../gateway/src/db/schema";
import { createTestGateway, type TestGateway } from "../support/gateway";

let gw: TestGateway;
let operator: string;
beforeAll(async () => {
  gw = await createTestGateway();
  operator = await gw.operatorToken();
});
afterAll(() => gw.close());

describe("partners", () => {
  it("onboards a partner with a credential whose secret is shown once", async () => {
    const created = await gw.call("POST", "/v1/partners", {
      token: operator,
      body: { name: "SkyWays Airlines", contact_email: "dev@skyways.example" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "SkyWays Airlines", status: "active", requests_per_minute: null });
    expect(created.body.id).toMatch(/^ptn_[0-9a-z]{26}$/);
    expect(created.body.credentials.client_secret).toMatch(/^cs_/);
    const fetched = await gw.call("GET", `/v1/partners/${created.body.id}`, { token: operator });
    expect(fetched.status).toBe(200);
    expect(fetched.body.credentials).toHaveLength(1);
    expect(JSON.stringify(fetched.body)).not.toContain(created.body.credentials.client_secret);
  });

  it("stores only a hash of the client secret", async () => {
    const partner = await gw.onboardPartner();
    const row = await gw.deps.db.select().from(credentials).where(eq(credentials.clientId, partner.clientId)).get();
    expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(partner.secret);
  });

  it("refuses invalid bodies with field paths and writes nothing", async () => {
    const before = await gw.call("GET", "/v1/partners?limit=100", { token: operator });
    const response = await gw.call("POST", "/v1/partners", {
      token: operator,
      body: { name: "", contact_email: "not-an-email", scopes: ["operator"], extra: 1 },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body.code).toBe("validation_failed");
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "contact_email", "scopes[0]"]));
    const after = await gw.call("GET", "/v1/partners?limit=100", { token: operator });
    expect(after.body.data).toHaveLength(before.body.data.length);
  });

  it("lists newest first with cursor pagination", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await gw.onboardPartner()).partner.id);
    const first = await gw.call("GET", "/v1/partners?limit=2", { token: operator });
    expect(first.body).toMatchObject({ object: "list", has_more: true });
    expect(first.body.data.map((p: { id: string }) => p.id)).toEqual([ids[4], ids[3]]);
    const second = await gw.call("GET", `/v1/partners?limit=2&starting_after=${ids[3]}`, { token: operator });
    expect(second.body.data.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    const back = await gw.call("GET", `/v1/partners?limit=2&ending_before=${ids[2]}`, { token: operator });
    expect(back.body.data.map((p: { id: string }) => p.id)).toEqual([ids[4], ids[3]]);
    const bad = await gw.call("GET", "/v1/partners?limit=1000", { token: operator });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("limit");
  });

  it("suspension refuses the partner's unexpired tokens at once, and reactivation restores them", async () => {
    const partner = await gw.onboardPartner();
    expect((await gw.call("GET", "/v1/programs", { token: partner.token })).status).toBe(200);
    const suspended = await gw.call("POST", `/v1/partners/${partner.partner.id}/suspend`, { token: operator });
    expect(suspended.body).toMatchObject({ status: "suspended", suspended_at: expect.any(String) });
    const refused = await gw.call("GET", "/v1/programs", { token: partner.token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("partner_suspended");
    await expect(gw.token(partner.clientId, partner.secret)).rejects.toThrow(/403/);
    await gw.call("POST", `/v1/partners/${partner.partner.id}/reactivate`, { token: operator });
    expect((await gw.call("GET", "/v1/programs", { token: partner.token })).status).toBe(200);
  });

  it("adds a second credential and revokes the first, whose tokens stop working", async () => {
    const partner = await gw.onboardPartner();
    const second = await gw.call("POST", `/v1/partners/${partner.partner.id}/credentials`, {
      token: operator,
      body: { scopes: ["members:read"] },
    });
    expect(second.status).toBe(201);
    expect(second.body.scopes).toEqual(["members:read"]);
    const revoked = await gw.call("DELETE", `/v1/partners/${partner.partner.id}/credentials/${partner.clientId}`, {
      token: operator,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    expect((await gw.call("GET", "/v1/programs", { token: partner.token })).status).toBe(401);
    await expect(gw.token(partner.clientId, partner.secret)).rejects.toThrow(/401/);
    const newToken = await gw.token(second.body.client_id, second.body.client_secret);
    expect((await gw.call("GET", "/v1/programs", { token: newToken })).status).toBe(200);
  });

  it("changes the request limit with PATCH and answers 404 for unknown partners", async () => {
    const partner = await gw.onboardPartner();
    const patched = await gw.call("PATCH", `/v1/partners/${partner.partner.id}`, {
      token: operator,
      body: { requests_per_minute: 600 },
    });
    expect(patched.body.requests_per_minute).toBe(600);
    for (const [method, path] of [
      ["GET", "/v1/partners/ptn_unknown"],
      ["POST", "/v1/partners/ptn_unknown/suspend"],
      ["POST", "/v1/partners/ptn_unknown/credentials"],
      ["DELETE", `/v1/partners/ptn_unknown/credentials/${partner.clientId}`],
    ] as const) {
      const response = await gw.call(method, path, { token: operator });
      expect(response.status, path).toBe(404);
      expect(response.body.code).toBe("not_found");
    }
  });

  it("adds portal users with a password or a one-time set-password link", async () => {
    const partner = await gw.onboardPartner();
    const withPassword = await gw.call("POST", `/v1/partners/${partner.partner.id}/users`, {
      token: operator,
      body: { email: `fin-${partner.partner.id}@example.com`, role: "finance", password: "correct horse battery" },
    });
    expect(withPassword.status).toBe(201);
    expect(withPassword.body).toMatchObject({ role: "finance", has_password: true, set_password_url: null });
    const withLink = await gw.call("POST", `/v1/partners/${partner.partner.id}/users`, {
      token: operator,
      body: { email: `admin-${partner.partner.id}@example.com`, role: "admin" },
    });
    expect(withLink.body.set_password_url).toMatch(/\/portal\/set-password\?token=/);
    const duplicate = await gw.call("POST", `/v1/partners/${partner.partner.id}/users`, {
      token: operator,
      body: { email: `FIN-${partner.partner.id}@example.com`, role: "viewer" },
    });
    expect(duplicate.status).toBe(409);
    const shortPassword = await gw.call("POST", `/v1/partners/${partner.partner.id}/users`, {
      token: operator,
      body: { email: "x@example.com", role: "viewer", password: "short" },
    });
    expect(shortPassword.status).toBe(400);
    const list = await gw.call("GET", `/v1/partners/${partner.partner.id}/users`, { token: operator });
    expect(list.body.data).toHaveLength(2);
  });
});

describe("Idempotency-Key on operator POSTs", () => {
  it("replays a retried onboarding instead of creating a second partner", async () => {
    const operator = await gw.operatorToken();
    const request = () =>
      gw.call("POST", "/v1/partners", {
        token: operator,
        headers: { "Idempotency-Key": "onboard-fresh-air-1" },
        body: { name: "Fresh Air", contact_email: "dev@freshair.example" },
      });
    const first = await request();
    const retry = await request();
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    // The secret is shown once and never stored: the replay carries the same partner without it.
    expect(first.body.credentials.client_secret).toMatch(/^cs_/);
    expect(retry.body).toEqual({ ...first.body, credentials: { ...first.body.credentials, client_secret: null } });
    const stored = await gw.deps.db.select().from(idempotencyKeys).all();
    expect(JSON.stringify(stored)).not.toContain(first.body.credentials.client_secret);
    const listed = await gw.call("GET", "/v1/partners?limit=100", { token: operator });
    expect(listed.body.data.filter((p: { name: string }) => p.name === "Fresh Air")).toHaveLength(1);
  });
});
