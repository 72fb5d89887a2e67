import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, newKey, setupProgram } from "../support/ledger";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await expectLedgerInvariants(gw);
  await gw.close();
});

const count = async (table: "ledger_transactions" | "ledger_entries" | "events" | "idempotency_keys") =>
  (await gw.deps.db.get<{ n: number }>(sql.raw(`select count(*) as n from ${table}`)))?.n ?? 0;

describe("members", () => {
  it("enrols a member once per external_id and shows a zero balance", async () => {
    const { owner, programId } = await setupProgram(gw);
    const created = await gw.call("POST", `/v1/programs/${programId}/members`, {
      token: owner.token,
      body: { external_id: "SK-1", email: "ana@example.com", name: "Ana", locale: "pt-BR" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      external_id: "SK-1",
      program_id: programId,
      balance: { available: 0, pending: 0, lifetime_earned: 0, expiring: [] },
    });
    const again = await gw.call("POST", `/v1/programs/${programId}/members`, {
      token: owner.token,
      body: { external_id: "SK-1" },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
    const fetched = await gw.call("GET", `/v1/programs/${programId}/members/SK-1`, { token: owner.token });
    expect(fetched.body).toEqual(created.body);
  });

  it("hides programs and members from partners without an agreement", async () => {
    const { programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const stranger = await gw.onboardPartner();
    for (const [method, path, body] of [
      ["POST", `/v1/programs/${programId}/members`, { external_id: "X-1" }],
      ["GET", `/v1/programs/${programId}/members/${member}`, undefined],
      ["GET", `/v1/programs/${programId}/members/${member}/transactions`, undefined],
    ] as const) {
      const response = await gw.call(method, path, { token: stranger.token, body });
      expect(response.status, path).toBe(404);
    }
  });
});

describe("earn and burn", () => {
  it("earns and burns with balance_after, and the member's balance follows", async () => {
    const { programId, enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    const earned = await move("earn", member, 1500);
    expect(earned.status).toBe(201);
    expect(earned.body).toMatchObject({
      type: "earn",
      program_id: programId,
      external_id: member,
      points: 1500,
      balance_after: 1500,
    });
    expect(earned.body.id).toMatch(/^txn_/);
    const burned = await move("burn", member, 400);
    expect(burned.body).toMatchObject({ type: "burn", points: 400, balance_after: 1100 });
    expect(await balance(member)).toMatchObject({ available: 1100, pending: 0, lifetime_earned: 1500 });
    const fetched = await gw.call("GET", `/v1/transactions/${burned.body.id}`, {
      token: (await gw.onboardPartner()).token,
    });
    expect(fetched.status).toBe(404);
  });

  it("converts a purchase at the agreement's earn rate, rounding down", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const earn = (amount_minor: number, currency = "USD") =>
      gw.call("POST", "/v1/transactions/earn", {
        token: owner.token,
        headers: { "Idempotency-Key": newKey() },
        body: {
          program_id: programId,
          external_id: member,
          purchase: { amount_minor, currency },
          reference: "order-1",
        },
      });
    const response = await earn(12_399);
    expect(response.body).toMatchObject({ points: 123, purchase: { amount_minor: 12_399, currency: "USD" } });
    expect((await earn(99)).status).toBe(400);
    const wrongCurrency = await earn(10_000, "EUR");
    expect(wrongCurrency.status).toBe(400);
    expect(wrongCurrency.body.errors[0].path).toBe("purchase.currency");
  });

  it("refuses an overdraft with 409 insufficient_points and writes nothing", async () => {
    const { enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    await move("earn", member, 100);
    const before = [
      await count("ledger_transactions"),
      await count("ledger_entries"),
      await count("events"),
      await count("idempotency_keys"),
    ];
    const response = await move("burn", member, 101);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe("insufficient_points");
    expect([
      await count("ledger_transactions"),
      await count("ledger_entries"),
      await count("events"),
      await count("idempotency_keys"),
    ]).toEqual(before);
    expect((await balance(member)).available).toBe(100);
  });

  it("refuses hostile amounts and bodies with 400 and changes nothing", async () => {
    const { owner, programId, enrol, balance } = await setupProgram(gw);
    const member = await enrol();
    const before = await count("ledger_transactions");
    const bodies = [
      { points: -5 },
      { points: 0 },
      { points: 1.5 },
      { points: "100" },
      { points: 1e30 },
      { points: Number.MAX_SAFE_INTEGER + 2 },
      { points: 10, purchase: { amount_minor: 100, currency: "USD" } },
      {},
      { points: 10, extra: true },
    ];
    for (const extra of bodies) {
      const response = await gw.call("POST", "/v1/transactions/earn", {
        token: owner.token,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: programId, external_id: member, reference: "r", ...extra },
      });
      expect(response.status, JSON.stringify(extra)).toBe(400);
      expect(response.body.code).toBe("validation_failed");
      expect(response.body.errors.length).toBeGreaterThan(0);
    }
    const withoutReference = await gw.call("POST", "/v1/transactions/burn", {
      token: owner.token,
      headers: { "Idempotency-Key": newKey() },
      body: { program_id: programId, external_id: member, points: 1 },
    });
    expect(withoutReference.body.errors[0].path).toBe("reference");
    expect(await count("ledger_transactions")).toBe(before);
    expect((await balance(member)).available).toBe(0);
  });

  it("requires an Idempotency-Key on money-moving POSTs", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const response = await gw.call("POST", "/v1/transactions/earn", {
      token: owner.token,
      body: { program_id: programId, external_id: member, points: 5, reference: "r" },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe("Idempotency-Key");
  });

  it("lets a partner earn or burn only where its agreement allows", async () => {
    const { programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const guest = await gw.onboardPartner();
    const earnAsGuest = () =>
      gw.call("POST", "/v1/transactions/earn", {
        token: guest.token,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: programId, external_id: member, points: 5, reference: "r" },
      });
    expect((await earnAsGuest()).status).toBe(404);
    await gw.call("POST", `/v1/programs/${programId}/agreements`, {
      token: await gw.operatorToken(),
      body: {
        partner_id: guest.partner.id,
        can_earn: true,
        can_burn: false,
        issue_price_micros: 13_000,
        redeem_price_micros: 9_000,
      },
    });
    expect((await earnAsGuest()).status).toBe(201);
    const burnAsGuest = await gw.call("POST", "/v1/transactions/burn", {
      token: guest.token,
      headers: { "Idempotency-Key": newKey() },
      body: { program_id: programId, external_id: member, points: 1, reference: "r" },
    });
    expect(burnAsGuest.status).toBe(403);
    const readOnly = await gw.token(guest.clientId, guest.secret, "members:read");
    const noScope = await gw.call("POST", "/v1/transactions/earn", {
      token: readOnly,
      headers: { "Idempotency-Key": newKey() },
      body: { program_id: programId, external_id: member, points: 5, reference: "r" },
    });
    expect(noScope.status).toBe(403);
  });
});

describe("idempotency", () => {
  it("replays the first status and body byte for byte, with Idempotent-Replayed", async () => {
    const { enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    const key = newKey();
    const first = await move("earn", member, 250, { key });
    const second = await move("earn", member, 250, { key });
    expect(second.status).toBe(first.status);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect((await balance(member)).available).toBe(250);
  });

  it("answers 422 when a key is reused with another body, and writes nothing", async () => {
    const { enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    const key = newKey();
    await move("earn", member, 250, { key });
    const reused = await move("earn", member, 999, { key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe("idempotency_key_reused");
    expect((await balance(member)).available).toBe(250);
  });

  it("scopes keys per partner", async () => {
    const { programId, enrol, move, owner } = await setupProgram(gw);
    const member = await enrol();
    const guest = await gw.onboardPartner();
    await gw.call("POST", `/v1/programs/${programId}/agreements`, {
      token: await gw.operatorToken(),
      body: {
        partner_id: guest.partner.id,
        can_earn: true,
        can_burn: true,
        issue_price_micros: 1,
        redeem_price_micros: 1,
      },
    });
    const key = newKey();
    expect((await move("earn", member, 10, { key, token: owner.token })).status).toBe(201);
    const guestEarn = await move("earn", member, 10, { key, token: guest.token });
    expect(guestEarn.status).toBe(201);
    expect(guestEarn.headers.get("idempotent-replayed")).toBeNull();
  });

  it("does not store refused requests: a retry after topping up succeeds", async () => {
    const { enrol, move } = await setupProgram(gw);
    const member = await enrol();
    const key = newKey();
    expect((await move("burn", member, 50, { key })).status).toBe(409);
    await move("earn", member, 50);
    expect((await move("burn", member, 50, { key })).status).toBe(201);
  });
});

describe("reversals", () => {
  it("reverses part of an earn, then the rest, never beyond", async () => {
    const { owner, enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    const earned = await move("earn", member, 1000);
    const reverse = (points?: number) =>
      gw.call("POST", `/v1/transactions/${earned.body.id}/reversals`, {
        token: owner.token,
        headers: { "Idempotency-Key": newKey() },
        body: points === undefined ? {} : { points, reason: "order partly cancelled" },
      });
    const partial = await reverse(300);
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      type: "reversal",
      points: 300,
      balance_after: 700,
      original_transaction_id: earned.body.id,
    });
    expect((await reverse(701)).status).toBe(409);
    const rest = await reverse();
    expect(rest.body).toMatchObject({ points: 700, balance_after: 0 });
    const nothingLeft = await reverse();
    expect(nothingLeft.status).toBe(409);
    expect(await balance(member)).toMatchObject({ available: 0, lifetime_earned: 0 });
    const original = await gw.call("GET", `/v1/transactions/${earned.body.id}`, { token: owner.token });
    expect(original.body.reversed_points).toBe(1000);
  });

  it("refuses to reverse an earn whose points are spent, and re-credits a reversed burn", async () => {
    const { owner, enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    const earned = await move("earn", member, 500);
    const burned = await move("burn", member, 400);
    const reverseEarn = await gw.call("POST", `/v1/transactions/${earned.body.id}/reversals`, {
      token: owner.token,
      headers: { "Idempotency-Key": newKey() },
    });
    expect(reverseEarn.status).toBe(409);
    expect(reverseEarn.body.code).toBe("insufficient_points");
    const reverseBurn = await gw.call("POST", `/v1/transactions/${burned.body.id}/reversals`, {
      token: owner.token,
      headers: { "Idempotency-Key": newKey() },
      body: { points: 150 },
    });
    expect(reverseBurn.body).toMatchObject({ points: 150, balance_after: 250 });
    expect((await balance(member)).available).toBe(250);
  });

  it("answers 404 for another tenant's transaction", async () => {
    const { enrol, move } = await setupProgram(gw);
    const member = await enrol();
    const earned = await move("earn", member, 10);
    const other = await gw.onboardPartner();
    for (const [method, path] of [
      ["GET", `/v1/transactions/${earned.body.id}`],
      ["POST", `/v1/transactions/${earned.body.id}/reversals`],
      ["GET", "/v1/transactions/txn_doesnotexist"],
    ] as const) {
      const response = await gw.call(method, path, { token: other.token, headers: { "Idempotency-Key": newKey() } });
      expect(response.status, path).toBe(404);
      expect(response.body.detail).toMatch(/No transaction/);
    }
  });
});

describe("history", () => {
  it("lists a member's transactions newest first with cursors", async () => {
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    const ids: string[] = [];
    for (const points of [10, 20, 30, 40, 50]) ids.push((await move("earn", member, points)).body.id);
    const path = `/v1/programs/${programId}/members/${member}/transactions`;
    const first = await gw.call("GET", `${path}?limit=3`, { token: owner.token });
    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(first.body.has_more).toBe(true);
    const second = await gw.call("GET", `${path}?limit=3&starting_after=${ids[2]}`, { token: owner.token });
    expect(second.body.data.map((t: { id: string }) => t.id)).toEqual([ids[1], ids[0]]);
    expect(second.body.has_more).toBe(false);
  });
});
