import { describe, expect, it } from "vitest";
import { onboardPartner } from "../scenarios/fixtures";
import { connect } from "../scenarios/gateway";
import { useWorkerTarget } from "./target";

// The partner portal served by the Worker, on D1 (its pages on Node: test/api/portal*.test.ts, test/browser).
const gw = connect(useWorkerTarget());

describe("the partner portal on Workers, over D1", () => {
  it("renders the sign-in page in the visitor's language", async () => {
    const page = await gw.call("GET", "/portal/login", { headers: { "Accept-Language": "pt-BR,pt;q=0.9" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="pt-BR">');
    expect(page.text).toContain("Entrar");
    expect(page.headers.get("set-cookie")).toMatch(/cg_csrf=.*HttpOnly; Secure; SameSite=Lax/);
  });

  it("locks a known and an unknown email alike: 401 four times, then 423 even against the right password", async () => {
    const partner = await onboardPartner(gw);
    const password = "correct horse battery staple";
    const created = await gw.call("POST", `/v1/partners/${partner.id}/users`, {
      as: gw.operator,
      body: { email: "known@lockout.example", role: "viewer", password },
    });
    expect(created.status).toBe(201);
    const signIn = async (email: string, secret: string) =>
      gw.call("POST", "/portal/login", {
        form: { _csrf: "fixed-csrf-token", email, password: secret },
        headers: { Cookie: "cg_csrf=fixed-csrf-token" },
      });
    for (const email of ["known@lockout.example", "unknown@lockout.example"]) {
      const statuses = [];
      for (let attempt = 1; attempt <= 5; attempt++) statuses.push((await signIn(email, "wrong password")).status);
      statuses.push((await signIn(email, password)).status);
      expect(statuses, email).toEqual([401, 401, 401, 401, 423, 423]);
    }
  });
});
