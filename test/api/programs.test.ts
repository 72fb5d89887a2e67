import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";

let gw: TestGateway;
let operator: string;
beforeAll(async () => {
  gw = await createTestGateway();
  operator = await gw.operatorToken();
});
afterAll(() => gw.close());

const programBody = (partnerId: string, overrides: Record<string, unknown> = {}) => ({
  partner_id: partnerId,
  name: "SkyWays Miles",
  point_name: "mile",
  settlement_currency: "USD",
  issue_price_micros: 12_000,
  redeem_price_micros: 10_000,
  points_expire_after_days: 730,
  ...overrides,
});

describe("programs and agreements", () => {
  it("creates a program whose owner gets an agreement at the published prices", async () => {
    const owner = await gw.onboardPartner();
    const created = await gw.call("POST", "/v1/programs", { token: operator, body: programBody(owner.partner.id) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      partner_id: owner.partner.id,
      settlement_currency: "USD",
      points_expire_after_days: 730,
    });
    const agreements = await gw.call("GET", `/v1/programs/${created.body.id}/agreements`, { token: operator });
    expect(agreements.body.data).toEqual([
      expect.objectContaining({
        partner_id: owner.partner.id,
        can_earn: true,
        can_burn: true,
        issue_price_micros: 12_000,
        status: "in_force",
      }),
    ]);
  });

  it("refuses bad programs: unknown partner, fractional or negative prices, unknown currency", async () => {
    const owner = await gw.onboardPartner();
    const unknownPartner = await gw.call("POST", "/v1/programs", { token: operator, body: programBody("ptn_nobody") });
    expect(unknownPartner.status).toBe(404);
    for (const [field, value] of [
      ["issue_price_micros", 1.5],
      ["redeem_price_micros", -1],
      ["settlement_currency", "usd"],
      ["settlement_currency", "XYZ"],
      ["points_expire_after_days", 0],
      ["issue_price_micros", "12000"],
    ] as const) {
      const response = await gw.call("POST", "/v1/programs", {
        token: operator,
        body: programBody(owner.partner.id, { [field]: value }),
      });
      expect(response.status, `${field}=${value}`).toBe(400);
      expect(response.body.errors[0].path).toBe(field);
    }
  });

  it("shows a partner only the programs it has an agreement with; others answer 404", async () => {
    const owner = await gw.onboardPartner();
    const other = await gw.onboardPartner();
    const program = (await gw.call("POST", "/v1/programs", { token: operator, body: programBody(owner.partner.id) }))
      .body;
    expect((await gw.call("GET", `/v1/programs/${program.id}`, { token: owner.token })).status).toBe(200);
    const hidden = await gw.call("GET", `/v1/programs/${program.id}`, { token: other.token });
    expect(hidden.status).toBe(404);
    const listed = await gw.call("GET", "/v1/programs", { token: other.token });
    expect(listed.body.data.map((p: { id: string }) => p.id)).not.toContain(program.id);

    const agreement = await gw.call("POST", `/v1/programs/${program.id}/agreements`, {
      token: operator,
      body: {
        partner_id: other.partner.id,
        can_earn: true,
        can_burn: false,
        issue_price_micros: 11_000,
        redeem_price_micros: 0,
      },
    });
    expect(agreement.status).toBe(201);
    expect(agreement.body).toMatchObject({ can_burn: false, status: "in_force" });
    expect((await gw.call("GET", `/v1/programs/${program.id}`, { token: other.token })).status).toBe(200);
    const listedAfter = await gw.call("GET", "/v1/programs", { token: other.token });
    expect(listedAfter.body.data.map((p: { id: string }) => p.id)).toEqual([program.id]);
  });

  it("versions agreements: a newer one supersedes the older from its valid_from, never back-dated", async () => {
    const owner = await gw.onboardPartner();
    const program = (await gw.call("POST", "/v1/programs", { token: operator, body: programBody(owner.partner.id) }))
      .body;
    const later = new Date(gw.clock.now().getTime() + 86_400_000).toISOString();
    const scheduled = await gw.call("POST", `/v1/programs/${program.id}/agreements`, {
      token: operator,
      body: {
        partner_id: owner.partner.id,
        can_earn: true,
        can_burn: true,
        issue_price_micros: 13_000,
        redeem_price_micros: 10_000,
        valid_from: later,
      },
    });
    expect(scheduled.body.status).toBe("scheduled");
    gw.clock.advance(2 * 86_400_000);
    operator = await gw.operatorToken();
    const list = await gw.call("GET", `/v1/programs/${program.id}/agreements`, { token: operator });
    expect(
      list.body.data.map((a: { status: string; issue_price_micros: number }) => [a.status, a.issue_price_micros]),
    ).toEqual([
      ["in_force", 13_000],
      ["superseded", 12_000],
    ]);
    const backDated = await gw.call("POST", `/v1/programs/${program.id}/agreements`, {
      token: operator,
      body: {
        partner_id: owner.partner.id,
        can_earn: true,
        can_burn: true,
        issue_price_micros: 1,
        redeem_price_micros: 1,
        valid_from: "2020-01-01T00:00:00Z",
      },
    });
    expect(backDated.status).toBe(400);
    expect(backDated.body.errors[0].path).toBe("valid_from");
  });
});
