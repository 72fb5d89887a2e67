import { exports } from "cloudflare:workers";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { call, onboardPartner, operator, setupProgram, tokenFor } from "./support";

describe("settlements and the portal on Workers, over D1", () => {
  it("closes a period and serves the statement as JSON, CSV and PDF", async () => {
    const operatorToken = await tokenFor(operator.clientId, operator.secret);
    const { programId, enrol, move, owner } = await setupProgram(operatorToken);
    const grocer = await onboardPartner(operatorToken);
    await call("POST", `/v1/programs/${programId}/agreements`, {
      token: operatorToken,
      body: {
        partner_id: grocer.id,
        can_earn: true,
        can_burn: true,
        issue_price_micros: 11_000,
        redeem_price_micros: 9_000,
      },
    });
    const { externalId } = await enrol();
    expect((await move("earn", externalId, 1_000, { token: grocer.token })).status).toBe(201);
    // Workers' clock moves only across I/O: let a few milliseconds pass on both sides of `end`.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    await pause();
    const end = new Date().toISOString();
    await pause();
    const period = await call("POST", "/v1/settlement-periods", {
      token: operatorToken,
      body: { start: "2020-01-01T00:00:00Z", end },
    });
    expect(period.status).toBe(201);
    const mine = period.body.statements.find((s: { partner_id: string }) => s.partner_id === grocer.id);
    expect(mine).toMatchObject({ currency: "USD", net_amount_minor: -1_100 });

    const json = await call("GET", `/v1/settlements/${mine.id}`, { token: grocer.token });
    expect(json.body.lines).toEqual([
      expect.objectContaining({ kind: "points_issued", points: 1_000, amount_minor: 1_100 }),
    ]);
    const csv = await call("GET", `/v1/settlements/${mine.id}.csv`, { token: grocer.token });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.text).toContain(",1000,0.011000,11.00,1100,");
    const pdf = await exports.default.fetch(
      new Request(`https://gateway.test/v1/settlements/${mine.id}.pdf`, {
        headers: { Authorization: `Bearer ${grocer.token}` },
      }),
    );
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const document = await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()));
    expect(document.getTitle()).toBe(`Settlement statement ${mine.id}`);
    const hotelStatement = await call("GET", `/v1/settlements/${mine.id}`, { token: owner.token });
    expect(hotelStatement.status).toBe(404);
  });

  it("renders the portal's sign-in page in the visitor's language", async () => {
    const page = await call("GET", "/portal/login", { headers: { "Accept-Language": "pt-BR,pt;q=0.9" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="pt-BR">');
    expect(page.text).toContain("Entrar");
    expect(page.headers.get("set-cookie")).toMatch(/cg_csrf=.*HttpOnly; Secure; SameSite=Lax/);
  });

  it("locks a known and an unknown email alike on D1: 401 four times, then 423 even against the right password", async () => {
    const operatorToken = await tokenFor(operator.clientId, operator.secret);
    const partner = await onboardPartner(operatorToken);
    const password = "correct horse battery staple";
    const created = await call("POST", `/v1/partners/${partner.id}/users`, {
      token: operatorToken,
      body: { email: "known@lockout.example", role: "viewer", password },
    });
    expect(created.status).toBe(201);
    const signIn = async (email: string, secret: string) =>
      call("POST", "/portal/login", {
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
