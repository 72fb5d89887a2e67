import { describe, expect, it } from "vitest";
import { newKey, onboardPartner, rowCounts, unique } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { type Row, reportWorld } from "./report-definition-fixtures";
import { expectCsvOf } from "./report-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

const autumn = { from: "2026-10-01", to: "2026-11-30" };

/**
 * Members A (en, gold by hand, enrolled Fri 2026-10-30), B (pt-BR, 11-02, a Monday) and C (ru, 11-09, the next
 * Monday), in a UTC program, and the journal of the transactions scenarios, by hand:
 *
 *   t1 Fri 10-30 10:00 A earn  100 (a purchase of 10,000 USD minor) owner  store S1
 *   t2 Mon 11-02 10:00 A earn   50                                  owner  web
 *   t3 Mon 11-02 11:00 B earn   40                                  grocer store S2
 *   t4 Tue 11-03 10:00 B burn   20                                  owner  app
 *   t5 Mon 11-09 10:00 C earn   30                                  owner  (no channel)
 *   t6 Mon 11-09 12:00 A reversal of t2, 50                          owner  (no channel)
 */
async function transactionHistory(gw: Gateway) {
  const world = await reportWorld(gw);
  const a = await world.enrolAt("2026-10-30T09:00:00Z", "en");
  await world.makeGold(a.externalId);
  const t1 = await world.earnAt(
    "2026-10-30T10:00:00Z",
    a.externalId,
    { purchase_minor: 10_000 },
    { channel: "store", store_id: "S1" },
  );
  const b = await world.enrolAt("2026-11-02T09:00:00Z", "pt-BR");
  const t2 = await world.earnAt("2026-11-02T10:00:00Z", a.externalId, { points: 50 }, { channel: "web" });
  await world.earnAt(
    "2026-11-02T11:00:00Z",
    b.externalId,
    { points: 40 },
    { channel: "store", store_id: "S2" },
    world.grocer,
  );
  await world.burnAt("2026-11-03T10:00:00Z", b.externalId, 20, { channel: "app" });
  const c = await world.enrolAt("2026-11-09T09:00:00Z", "ru");
  await world.earnAt("2026-11-09T10:00:00Z", c.externalId, { points: 30 });
  await world.reverseAt("2026-11-09T12:00:00Z", t2.id);
  expect(t1.points).toBe(100);
  return { ...world, a, b, c };
}

/** The four measures of a transactions row. */
const tx = (count: number, points: number, members: number, purchase = 0) => ({
  count,
  points,
  members,
  purchase_amount_minor: purchase,
});
const allTransactionMeasures = ["count", "points", "members", "purchase_amount_minor"];

/** Rows ordered as a run orders them by one text dimension: null first, then by the value. */
const ordered = (rows: Row[], dimension: string) =>
  [...rows].sort((x, y) => {
    const [a, b] = [x[dimension], y[dimension]];
    if (a === b) return 0;
    if (a === null || a === undefined) return -1;
    if (b === null || b === undefined) return 1;
    return String(a) < String(b) ? -1 : 1;
  });

/**
 * Members as the members scenarios count them, in a UTC program, by hand:
 *
 *   A en     gold  enrolled Fri 10-30 09:00  earned 100, and 50 reversed   balance 100  lifetime_earned 100
 *   B pt-BR  blue  enrolled Mon 11-02 09:00  earned 40                     balance  40  lifetime_earned  40
 *   C ru     blue  enrolled Mon 11-09 09:00  nothing                       balance   0  lifetime_earned   0
 *   D -      blue  enrolled Mon 11-09 15:00  earned 25                     balance  25  lifetime_earned  25
 *
 * and RFM scored at 11-09 17:00 (A, B and D have earned; C is not scored).
 */
async function memberHistory(gw: Gateway) {
  const world = await reportWorld(gw);
  const a = await world.enrolAt("2026-10-30T09:00:00Z", "en");
  await world.makeGold(a.externalId);
  await world.earnAt("2026-10-30T10:00:00Z", a.externalId, { points: 100 });
  const b = await world.enrolAt("2026-11-02T09:00:00Z", "pt-BR");
  const fifty = await world.earnAt("2026-11-02T10:00:00Z", a.externalId, { points: 50 });
  await world.reverseAt("2026-11-02T11:00:00Z", fifty.id);
  await world.earnAt("2026-11-02T12:00:00Z", b.externalId, { points: 40 });
  const c = await world.enrolAt("2026-11-09T09:00:00Z", "ru");
  const d = await world.enrolAt("2026-11-09T15:00:00Z");
  await world.earnAt("2026-11-09T16:00:00Z", d.externalId, { points: 25 });
  gw.clock.set("2026-11-09T17:00:00Z");
  expectBody(
    await gw.call("POST", `/v1/programs/${world.programId}/rfm/recompute`, { as: world.owner }),
    op.recomputeRfm,
    202,
  );
  return { ...world, a, b, c, d };
}

/**
 * Orders of two rewards (R1 at 10 points, fulfilled by the owner; R2 at 25, by the grocer), by hand:
 *
 *   r1 Mon 11-02 10:00  A (gold)  R1 x2  20 points  placed by the owner   fulfilled
 *   r2 Tue 11-03 10:00  B (blue)  R2 x1  25 points  placed by the grocer  pending
 *   r3 Mon 11-09 10:00  A (gold)  R2 x1  25 points  placed by the owner   cancelled
 */
async function redemptionHistory(gw: Gateway) {
  const world = await reportWorld(gw);
  const { owner, grocer, programId } = world;
  const reward = async (points: number, fulfiller: string | null) =>
    expectBody(
      await gw.call("POST", `/v1/programs/${programId}/rewards`, {
        as: owner,
        body: {
          sku: unique("SKU"),
          name: "Mug",
          type: "product",
          points_price: points,
          fulfilment: "partner",
          fulfilling_partner_id: fulfiller,
          active: true,
        },
      }),
      op.createReward,
      201,
    );
  const r1Reward = await reward(10, null);
  const r2Reward = await reward(25, grocer.id);
  const a = await world.enrolAt("2026-10-30T09:00:00Z", "en");
  await world.makeGold(a.externalId);
  await world.earnAt("2026-10-30T10:00:00Z", a.externalId, { points: 100 });
  const b = await world.enrolAt("2026-11-02T09:00:00Z", "pt-BR");
  await world.earnAt("2026-11-02T09:30:00Z", b.externalId, { points: 100 });
  const order = async (at: string, externalId: string, rewardId: string, quantity: number, as = owner) => {
    gw.clock.set(at);
    return expectBody(
      await gw.call("POST", "/v1/redemptions", {
        as,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: programId, external_id: externalId, reward_id: rewardId, quantity },
      }),
      op.createRedemption,
      201,
    );
  };
  const r1 = await order("2026-11-02T10:00:00Z", a.externalId, r1Reward.id, 2);
  expectBody(await gw.call("POST", `/v1/redemptions/${r1.id}/fulfil`, { as: owner }), op.fulfilRedemption, 200);
  await order("2026-11-03T10:00:00Z", b.externalId, r2Reward.id, 1, grocer);
  const r3 = await order("2026-11-09T10:00:00Z", a.externalId, r2Reward.id, 1);
  expectBody(
    await gw.call("POST", `/v1/redemptions/${r3.id}/cancel`, { as: owner, body: { reason: "changed mind" } }),
    op.cancelRedemption,
    200,
  );
  return { ...world, a, b, r1Reward, r2Reward };
}

/**
 * Contacts, by hand (the clock at each, so `occurred_at` is it):
 *
 *   tp1 Mon 11-02 10:00  A (gold)  call_center question      inbound   rated 4  agent ann  recorded by the owner
 *   tp2 Mon 11-02 12:00  A (gold)  email       communication outbound  -        -          recorded by the owner
 *   tp3 Tue 11-03 10:00  B (blue)  call_center complaint     inbound   rated 1  agent ann  recorded by the grocer
 *   tp4 Mon 11-09 10:00  C (blue)  store       question      inbound   rated 5  agent bob  recorded by the owner
 */
async function touchpointHistory(gw: Gateway) {
  const world = await reportWorld(gw);
  const a = await world.enrolAt("2026-10-30T09:00:00Z", "en");
  await world.makeGold(a.externalId);
  const b = await world.enrolAt("2026-11-02T09:00:00Z", "pt-BR");
  const c = await world.enrolAt("2026-11-02T09:30:00Z", "ru");
  const contact = async (at: string, externalId: string, body: Record<string, unknown>, as = world.owner) => {
    gw.clock.set(at);
    expectBody(
      await gw.call("POST", `/v1/programs/${world.programId}/members/${externalId}/touchpoints`, { as, body }),
      op.createTouchpoint,
      201,
    );
  };
  const call = { channel: "call_center", direction: "inbound" };
  await contact("2026-11-02T10:00:00Z", a.externalId, { ...call, reason: "question", rating: 4, agent: "ann" });
  await contact("2026-11-02T12:00:00Z", a.externalId, {
    channel: "email",
    reason: "communication",
    direction: "outbound",
  });
  await contact(
    "2026-11-03T10:00:00Z",
    b.externalId,
    { ...call, reason: "complaint", rating: 1, agent: "ann" },
    world.grocer,
  );
  await contact("2026-11-09T10:00:00Z", c.externalId, {
    channel: "store",
    reason: "question",
    direction: "inbound",
    rating: 5,
    agent: "bob",
  });
  return world;
}

/**
 * Ad-hoc reports (issue 21): saved definitions over the transactions, members, redemptions and touchpoints datasets,
 * every dimension and measure of each run against a history written through the API and counted by hand, filters in
 * the segment grammar, local days across daylight-saving changes, hostile definitions refused at their path with
 * nothing saved, the CSV equal to the JSON, the definitions' life, and who may do what.
 */
export function reportDefinitionScenarios(target: Target) {
  const gw = connect(target);

  describe("the transactions dataset", () => {
    let world: Awaited<ReturnType<typeof transactionHistory>>;
    const measured = (dimensions: string[], extra: Record<string, unknown> = {}, range = autumn) =>
      world.rowsOf({ dataset: "transactions", dimensions, measures: allTransactionMeasures, ...extra }, range);

    it("figures every measure by each dimension, as counted by hand", async () => {
      world = await transactionHistory(gw);
      const { owner, grocer, programId } = world;
      expect(await measured([])).toEqual([tx(6, 290, 3, 10_000)]);
      expect(await measured(["type"])).toEqual([
        { type: "burn", ...tx(1, 20, 1) },
        { type: "earn", ...tx(4, 220, 3, 10_000) },
        { type: "reversal", ...tx(1, 50, 1) },
      ]);
      expect(await measured(["channel"])).toEqual([
        { channel: null, ...tx(2, 80, 2) },
        { channel: "app", ...tx(1, 20, 1) },
        { channel: "store", ...tx(2, 140, 2, 10_000) },
        { channel: "web", ...tx(1, 50, 1) },
      ]);
      expect(await measured(["store_id"])).toEqual([
        { store_id: null, ...tx(4, 150, 3) },
        { store_id: "S1", ...tx(1, 100, 1, 10_000) },
        { store_id: "S2", ...tx(1, 40, 1) },
      ]);
      expect(await measured(["partner_id"])).toEqual(
        ordered(
          [
            { partner_id: owner.id, ...tx(5, 250, 3, 10_000) },
            { partner_id: grocer.id, ...tx(1, 40, 1) },
          ],
          "partner_id",
        ),
      );
      expect(await measured(["purchase_currency"])).toEqual([
        { purchase_currency: null, ...tx(5, 190, 3) },
        { purchase_currency: "USD", ...tx(1, 100, 1, 10_000) },
      ]);
      expect(await measured(["tier"])).toEqual([
        { tier: "blue", ...tx(3, 90, 2) },
        { tier: "gold", ...tx(3, 200, 1, 10_000) },
      ]);
      expect(await measured(["day"])).toEqual([
        { day: "2026-10-30", ...tx(1, 100, 1, 10_000) },
        { day: "2026-11-02", ...tx(2, 90, 2) },
        { day: "2026-11-03", ...tx(1, 20, 1) },
        { day: "2026-11-09", ...tx(2, 80, 2) },
      ]);
      expect(await measured(["week"])).toEqual([
        { week: "2026-10-26", ...tx(1, 100, 1, 10_000) },
        { week: "2026-11-02", ...tx(3, 110, 2) },
        { week: "2026-11-09", ...tx(2, 80, 2) },
      ]);
      expect(await measured(["month"])).toEqual([
        { month: "2026-10-01", ...tx(1, 100, 1, 10_000) },
        { month: "2026-11-01", ...tx(5, 190, 3) },
      ]);
      const run = await world.report(
        { dataset: "transactions", dimensions: ["type", "channel"], measures: ["points", "count"] },
        autumn,
      );
      expect(run).toEqual({
        definition_id: expect.stringMatching(/^rpt_/),
        program_id: programId,
        timezone: "UTC",
        from: "2026-10-01",
        to: "2026-11-30",
        dataset: "transactions",
        columns: ["type", "channel", "points", "count"],
        rows: [
          { type: "burn", channel: "app", points: 20, count: 1 },
          { type: "earn", channel: null, points: 30, count: 1 },
          { type: "earn", channel: "store", points: 140, count: 2 },
          { type: "earn", channel: "web", points: 50, count: 1 },
          { type: "reversal", channel: null, points: 50, count: 1 },
        ],
        truncated: false,
      });
    });

    it("adds the interval's time dimension first, once, beside the dimensions listed", async () => {
      expect(await measured(["type"], { interval: "month" })).toEqual([
        { month: "2026-10-01", type: "earn", ...tx(1, 100, 1, 10_000) },
        { month: "2026-11-01", type: "burn", ...tx(1, 20, 1) },
        { month: "2026-11-01", type: "earn", ...tx(3, 120, 3) },
        { month: "2026-11-01", type: "reversal", ...tx(1, 50, 1) },
      ]);
      // Listed already: it stays where it is.
      expect(await measured(["type", "week"], { interval: "week" })).toEqual([
        { type: "burn", week: "2026-11-02", ...tx(1, 20, 1) },
        { type: "earn", week: "2026-10-26", ...tx(1, 100, 1, 10_000) },
        { type: "earn", week: "2026-11-02", ...tx(2, 90, 2) },
        { type: "earn", week: "2026-11-09", ...tx(1, 30, 1) },
        { type: "reversal", week: "2026-11-09", ...tx(1, 50, 1) },
      ]);
      // Another time dimension stays too: a week across two months would read as two rows.
      expect(await measured(["month"], { interval: "day" })).toEqual([
        { day: "2026-10-30", month: "2026-10-01", ...tx(1, 100, 1, 10_000) },
        { day: "2026-11-02", month: "2026-11-01", ...tx(2, 90, 2) },
        { day: "2026-11-03", month: "2026-11-01", ...tx(1, 20, 1) },
        { day: "2026-11-09", month: "2026-11-01", ...tx(2, 80, 2) },
      ]);
    });

    it("keeps the rows of the local days from `from` to `to` included, the last 30 days ending today by default", async () => {
      expect(await measured(["day"], {}, { from: "2026-11-02", to: "2026-11-03" })).toEqual([
        { day: "2026-11-02", ...tx(2, 90, 2) },
        { day: "2026-11-03", ...tx(1, 20, 1) },
      ]);
      expect(await measured([], {}, { from: "2026-11-04", to: "2026-11-08" })).toEqual([tx(0, 0, 0)]);
      // Today is 2026-11-09 by the clock: 2026-10-11 to 2026-11-09.
      const run = await world.report({ dataset: "transactions", dimensions: [], measures: ["count"] }, {});
      expect(run).toMatchObject({ from: "2026-10-11", to: "2026-11-09", rows: [{ count: 6 }] });
      expect(
        (await world.report({ dataset: "transactions", dimensions: [], measures: ["count"] }, { to: "2026-11-02" }))
          .rows,
      ).toEqual([{ count: 3 }]);
    });

    it("keeps only the rows the filters hold for, over the transaction's fields and its member's", async () => {
      const { owner, b } = world;
      const points = async (filters: unknown, dimensions: string[] = []) =>
        world.rowsOf({ dataset: "transactions", dimensions, measures: ["count", "points"], filters }, autumn);
      expect(await points({ field: "type", op: "eq", value: "earn" }, ["channel"])).toEqual([
        { channel: null, count: 1, points: 30 },
        { channel: "store", count: 2, points: 140 },
        { channel: "web", count: 1, points: 50 },
      ]);
      expect(
        await points({
          all: [
            { field: "tier", op: "eq", value: "gold" },
            { field: "points", op: "gte", value: 50 },
          ],
        }),
      ).toEqual([{ count: 3, points: 200 }]);
      expect(
        await points({
          any: [
            { field: "channel", op: "exists", value: false },
            { field: "store_id", op: "eq", value: "S2" },
          ],
        }),
      ).toEqual([{ count: 3, points: 120 }]);
      expect(await points({ not: { field: "partner_id", op: "eq", value: owner.id } })).toEqual([
        { count: 1, points: 40 },
      ]);
      expect(await points({ field: "type", op: "in", value: ["burn", "reversal"] })).toEqual([
        { count: 2, points: 70 },
      ]);
      expect(await points({ field: "purchase_amount_minor", op: "gt", value: 0 })).toEqual([{ count: 1, points: 100 }]);
      expect(await points({ field: "purchase_currency", op: "eq", value: "USD" })).toEqual([{ count: 1, points: 100 }]);
      expect(await points({ field: "locale", op: "eq", value: "ru" })).toEqual([{ count: 1, points: 30 }]);
      expect(await points({ field: "lifetime_earned", op: "gt", value: 90 })).toEqual([{ count: 3, points: 200 }]);
      // A static segment holding B.
      const list = expectBody(
        await gw.call("POST", `/v1/programs/${world.programId}/segments`, {
          as: owner,
          body: { name: "B alone", type: "static" },
        }),
        op.createSegment,
        201,
      );
      await gw.call("POST", `/v1/segments/${list.id}/members`, { as: owner, body: { external_ids: [b.externalId] } });
      expect(await points({ field: "segment", op: "eq", value: list.id }, ["type"])).toEqual([
        { type: "burn", count: 1, points: 20 },
        { type: "earn", count: 1, points: 40 },
      ]);
      // A value is data, never SQL: a quote in it matches nothing.
      expect(await points({ field: "store_id", op: "eq", value: "S1' or '1'='1" })).toEqual([{ count: 0, points: 0 }]);
    });
  });

  describe("the members dataset", () => {
    it("figures every measure by each dimension, as counted by hand", async () => {
      const world = await memberHistory(gw);
      const measured = (dimensions: string[], extra: Record<string, unknown> = {}, range = autumn) =>
        world.rowsOf(
          { dataset: "members", dimensions, measures: ["count", "balance", "lifetime_earned"], ...extra },
          range,
        );
      const m = (count: number, balance: number) => ({ count, balance, lifetime_earned: balance });
      expect(await measured([])).toEqual([m(4, 165)]);
      expect(await measured(["tier"])).toEqual([
        { tier: "blue", ...m(3, 65) },
        { tier: "gold", ...m(1, 100) },
      ]);
      expect(await measured(["locale"])).toEqual([
        { locale: null, ...m(1, 25) },
        { locale: "en", ...m(1, 100) },
        { locale: "pt-BR", ...m(1, 40) },
        { locale: "ru", ...m(1, 0) },
      ]);
      expect(await measured(["enrolled_day"])).toEqual([
        { enrolled_day: "2026-10-30", ...m(1, 100) },
        { enrolled_day: "2026-11-02", ...m(1, 40) },
        { enrolled_day: "2026-11-09", ...m(2, 25) },
      ]);
      expect(await measured(["enrolled_week"])).toEqual([
        { enrolled_week: "2026-10-26", ...m(1, 100) },
        { enrolled_week: "2026-11-02", ...m(1, 40) },
        { enrolled_week: "2026-11-09", ...m(2, 25) },
      ]);
      expect(await measured(["enrolled_month"])).toEqual([
        { enrolled_month: "2026-10-01", ...m(1, 100) },
        { enrolled_month: "2026-11-01", ...m(3, 65) },
      ]);
      expect(await measured(["tier"], { interval: "month" })).toEqual([
        { enrolled_month: "2026-10-01", tier: "gold", ...m(1, 100) },
        { enrolled_month: "2026-11-01", tier: "blue", ...m(3, 65) },
      ]);
      // The RFM segment each member reads (GET the member); C was not scored.
      const segmentOf = async (externalId: string) =>
        expectBody(await world.member(externalId), op.getMember, 200).rfm?.segment ?? null;
      expect(await segmentOf(world.c.externalId)).toBeNull();
      const bySegment = new Map<string | null, { count: number; balance: number }>();
      for (const [member, balance] of [
        [world.a, 100],
        [world.b, 40],
        [world.c, 0],
        [world.d, 25],
      ] as const) {
        const segment = await segmentOf(member.externalId);
        const sum = bySegment.get(segment) ?? { count: 0, balance: 0 };
        bySegment.set(segment, { count: sum.count + 1, balance: sum.balance + balance });
      }
      expect(await measured(["rfm_segment"])).toEqual(
        ordered(
          [...bySegment].map(([segment, sum]) => ({ rfm_segment: segment, ...m(sum.count, sum.balance) })),
          "rfm_segment",
        ),
      );
      // From 11-02: B, C and D.
      expect(await measured([], {}, { from: "2026-11-02", to: "2026-11-30" })).toEqual([m(3, 65)]);
    });

    it("filters members by the segment grammar, as a segment would", async () => {
      const world = await memberHistory(gw);
      const counted = (filters: unknown) =>
        world.rowsOf({ dataset: "members", dimensions: [], measures: ["count", "balance"], filters }, autumn);
      expect(await counted({ field: "balance.available", op: "gte", value: 40 })).toEqual([{ count: 2, balance: 140 }]);
      expect(await counted({ field: "rfm.segment", op: "exists", value: false })).toEqual([{ count: 1, balance: 0 }]);
      // At 11-09 17:00: C (8 hours) and D (2 hours) enrolled less than a day ago.
      expect(await counted({ field: "days_since_enrolment", op: "lt", value: 1 })).toEqual([{ count: 2, balance: 25 }]);
      expect(await counted({ not: { field: "tier", op: "in", value: ["gold"] } })).toEqual([{ count: 3, balance: 65 }]);
    });
  });

  describe("the redemptions dataset", () => {
    it("figures every measure by each dimension, as counted by hand", async () => {
      const world = await redemptionHistory(gw);
      const { owner, grocer, r1Reward, r2Reward } = world;
      const measured = (dimensions: string[], filters?: unknown) =>
        world.rowsOf(
          { dataset: "redemptions", dimensions, measures: ["count", "quantity", "points", "members"], filters },
          autumn,
        );
      const r = (count: number, quantity: number, points: number, members: number) => ({
        count,
        quantity,
        points,
        members,
      });
      expect(await measured([])).toEqual([r(3, 4, 70, 2)]);
      expect(await measured(["reward_id"])).toEqual(
        ordered(
          [
            { reward_id: r1Reward.id, ...r(1, 2, 20, 1) },
            { reward_id: r2Reward.id, ...r(2, 2, 50, 2) },
          ],
          "reward_id",
        ),
      );
      expect(await measured(["status"])).toEqual([
        { status: "cancelled", ...r(1, 1, 25, 1) },
        { status: "fulfilled", ...r(1, 2, 20, 1) },
        { status: "pending", ...r(1, 1, 25, 1) },
      ]);
      expect(await measured(["partner_id"])).toEqual(
        ordered(
          [
            { partner_id: owner.id, ...r(2, 3, 45, 1) },
            { partner_id: grocer.id, ...r(1, 1, 25, 1) },
          ],
          "partner_id",
        ),
      );
      expect(await measured(["fulfilling_partner_id"])).toEqual(
        ordered(
          [
            { fulfilling_partner_id: owner.id, ...r(1, 2, 20, 1) },
            { fulfilling_partner_id: grocer.id, ...r(2, 2, 50, 2) },
          ],
          "fulfilling_partner_id",
        ),
      );
      expect(await measured(["tier"])).toEqual([
        { tier: "blue", ...r(1, 1, 25, 1) },
        { tier: "gold", ...r(2, 3, 45, 1) },
      ]);
      expect(await measured(["day"])).toEqual([
        { day: "2026-11-02", ...r(1, 2, 20, 1) },
        { day: "2026-11-03", ...r(1, 1, 25, 1) },
        { day: "2026-11-09", ...r(1, 1, 25, 1) },
      ]);
      expect(await measured(["week"])).toEqual([
        { week: "2026-11-02", ...r(2, 3, 45, 2) },
        { week: "2026-11-09", ...r(1, 1, 25, 1) },
      ]);
      expect(await measured(["month"])).toEqual([{ month: "2026-11-01", ...r(3, 4, 70, 2) }]);
      expect(await measured([], { field: "status", op: "neq", value: "cancelled" })).toEqual([r(2, 3, 45, 2)]);
      expect(await measured([], { field: "quantity", op: "gt", value: 1 })).toEqual([r(1, 2, 20, 1)]);
      expect(await measured([], { field: "reward_id", op: "eq", value: r2Reward.id })).toEqual([r(2, 2, 50, 2)]);
      expect(
        await measured([], {
          all: [
            { field: "fulfilling_partner_id", op: "eq", value: grocer.id },
            { field: "partner_id", op: "eq", value: owner.id },
            { field: "points", op: "eq", value: 25 },
          ],
        }),
      ).toEqual([r(1, 1, 25, 1)]);
    });
  });

  describe("the touchpoints dataset", () => {
    it("figures every measure by each dimension, as counted by hand", async () => {
      const world = await touchpointHistory(gw);
      const { owner, grocer } = world;
      const measured = (dimensions: string[], filters?: unknown) =>
        world.rowsOf(
          { dataset: "touchpoints", dimensions, measures: ["count", "rated", "mean_rating", "members"], filters },
          autumn,
        );
      const t = (count: number, rated: number, mean: number | null, members: number) => ({
        count,
        rated,
        mean_rating: mean,
        members,
      });
      expect(await measured([])).toEqual([t(4, 3, (4 + 1 + 5) / 3, 3)]);
      expect(await measured(["channel"])).toEqual([
        { channel: "call_center", ...t(2, 2, 2.5, 2) },
        { channel: "email", ...t(1, 0, null, 1) },
        { channel: "store", ...t(1, 1, 5, 1) },
      ]);
      expect(await measured(["reason"])).toEqual([
        { reason: "communication", ...t(1, 0, null, 1) },
        { reason: "complaint", ...t(1, 1, 1, 1) },
        { reason: "question", ...t(2, 2, 4.5, 2) },
      ]);
      expect(await measured(["direction"])).toEqual([
        { direction: "inbound", ...t(3, 3, (4 + 1 + 5) / 3, 3) },
        { direction: "outbound", ...t(1, 0, null, 1) },
      ]);
      expect(await measured(["agent"])).toEqual([
        { agent: null, ...t(1, 0, null, 1) },
        { agent: "ann", ...t(2, 2, 2.5, 2) },
        { agent: "bob", ...t(1, 1, 5, 1) },
      ]);
      expect(await measured(["recorded_by"])).toEqual(
        ordered(
          [
            { recorded_by: owner.id, ...t(3, 2, 4.5, 2) },
            { recorded_by: grocer.id, ...t(1, 1, 1, 1) },
          ],
          "recorded_by",
        ),
      );
      expect(await measured(["tier"])).toEqual([
        { tier: "blue", ...t(2, 2, 3, 2) },
        { tier: "gold", ...t(2, 1, 4, 1) },
      ]);
      expect(await measured(["day"])).toEqual([
        { day: "2026-11-02", ...t(2, 1, 4, 1) },
        { day: "2026-11-03", ...t(1, 1, 1, 1) },
        { day: "2026-11-09", ...t(1, 1, 5, 1) },
      ]);
      expect(await measured(["week"])).toEqual([
        { week: "2026-11-02", ...t(3, 2, 2.5, 2) },
        { week: "2026-11-09", ...t(1, 1, 5, 1) },
      ]);
      expect(await measured(["month"])).toEqual([{ month: "2026-11-01", ...t(4, 3, (4 + 1 + 5) / 3, 3) }]);
      expect(await measured([], { field: "rating", op: "gte", value: 4 })).toEqual([t(2, 2, 4.5, 2)]);
      expect(
        await measured([], {
          all: [
            { field: "channel", op: "eq", value: "call_center" },
            { field: "agent", op: "eq", value: "ann" },
          ],
        }),
      ).toEqual([t(2, 2, 2.5, 2)]);
      expect(await measured([], { field: "direction", op: "eq", value: "outbound" })).toEqual([t(1, 0, null, 1)]);
      expect(await measured([], { field: "recorded_by", op: "eq", value: grocer.id })).toEqual([t(1, 1, 1, 1)]);
      expect(await measured([], { field: "reason", op: "nin", value: ["question"] })).toEqual([t(2, 1, 1, 2)]);
      // Nothing in the range: the totals row counts nothing and has no mean.
      expect(
        await world.rowsOf(
          { dataset: "touchpoints", dimensions: [], measures: ["count", "mean_rating"] },
          { from: "2026-11-04", to: "2026-11-08" },
        ),
      ).toEqual([{ count: 0, mean_rating: null }]);
    });
  });

  describe("definitions refused", () => {
    it("answers every problem of a definition at its path, and saves nothing", async () => {
      const world = await reportWorld(gw);
      const other = await reportWorld(gw);
      const foreign = expectBody(
        await gw.call("POST", `/v1/programs/${other.programId}/segments`, {
          as: other.owner,
          body: { name: "Theirs", type: "static" },
        }),
        op.createSegment,
        201,
      );
      const base = { name: "Bad", dataset: "transactions", dimensions: ["channel"], measures: ["count"] };
      const refusals: [Record<string, unknown>, string[]][] = [
        [{ dimensions: ["channel", "nope"] }, ["dimensions[1]"]],
        [{ dimensions: ["type; drop table members"] }, ["dimensions[0]"]],
        [{ dimensions: ["channel", "type", "channel"] }, ["dimensions[2]"]],
        [{ measures: [] }, ["measures"]],
        [{ measures: ["count", "mean_rating"] }, ["measures[1]"]],
        [{ measures: ["count", "count"] }, ["measures[1]"]],
        [{ dataset: "orders" }, ["dataset"]],
        [{ dataset: "members", dimensions: ["channel"] }, ["dimensions[0]"]],
        [{ interval: "year" }, ["interval"]],
        [{ name: "  " }, ["name"]],
        [{ sql: "select 1" }, ["body"]],
        [{ filters: { all: [{ field: "nope", op: "eq", value: 1 }] } }, ["filters.all[0].field"]],
        [{ filters: { field: "t.points) or (1=1", op: "eq", value: 1 } }, ["filters.field"]],
        [{ filters: { field: "type", op: "eq", value: "earnn" } }, ["filters.value"]],
        [{ filters: { field: "points", op: "contains", value: "1" } }, ["filters.op"]],
        [{ filters: { field: "points", op: "gt", value: "1" } }, ["filters.value"]],
        [
          {
            filters: {
              any: [{ field: "tier", op: "eq", value: "gold" }, { not: { field: "channel", op: "in", value: [] } }],
            },
          },
          ["filters.any[1].not.value"],
        ],
        [
          { dataset: "members", dimensions: ["tier"], filters: { field: "type", op: "eq", value: "earn" } },
          ["filters.field"],
        ],
        [{ filters: { field: "segment", op: "eq", value: foreign.id } }, ["filters"]],
        [{ dimensions: ["nope"], measures: ["count", "nope"] }, ["dimensions[0]", "measures[1]"]],
        [
          { dimensions: ["type", "type"], filters: { all: [{ field: "nope", op: "eq", value: 1 }, { not: 1 }] } },
          ["dimensions[1]", "filters.all[0].field", "filters.all[1].not"],
        ],
      ];
      const before = await rowCounts(gw, ["report_definitions"]);
      for (const [change, paths] of refusals) {
        const body = { ...base, ...change };
        const problem = expectProblem(await world.create(body), 400, "validation_failed", JSON.stringify(change));
        const found = (problem.errors ?? []).map((error) => error.path);
        for (const path of paths)
          expect(found, `${JSON.stringify(change)} answers ${JSON.stringify(problem.errors)}`).toContain(path);
      }
      expect(await rowCounts(gw, ["report_definitions"])).toEqual(before);
    });

    it("refuses a change that leaves the definition invalid, and changes nothing", async () => {
      const world = await reportWorld(gw);
      const saved = await world.define({
        dataset: "transactions",
        dimensions: ["channel"],
        measures: ["count"],
        filters: { field: "type", op: "eq", value: "earn" },
      });
      const patch = (body: unknown) =>
        gw.call("PATCH", `/v1/report-definitions/${saved.id}`, { as: world.owner, body });
      const refusals: [unknown, string][] = [
        [{ dataset: "members" }, "dimensions[0]"],
        [{ dataset: "touchpoints", dimensions: ["channel"] }, "filters.field"],
        [{ dimensions: ["channel", "enrolled_day"] }, "dimensions[1]"],
        [{ measures: [] }, "measures"],
        [{ filters: { field: "store_id", op: "gt", value: 1 } }, "filters.op"],
        [{ interval: "hour" }, "interval"],
        [{ program_id: "prg_x" }, "body"],
      ];
      for (const [body, path] of refusals) {
        const problem = expectProblem(await patch(body), 400, "validation_failed", JSON.stringify(body));
        expect((problem.errors ?? []).map((error) => error.path)).toContain(path);
      }
      const now = expectBody(
        await gw.call("GET", `/v1/report-definitions/${saved.id}`, { as: world.owner }),
        op.getReportDefinition,
        200,
      );
      expect(now).toEqual(saved);
    });

    it("refuses a range that is not calendar dates, runs backwards or spans more than ten years", async () => {
      const world = await reportWorld(gw);
      const saved = await world.define({ dataset: "members", dimensions: [], measures: ["count"] });
      const cases: [{ from?: string; to?: string }, string][] = [
        [{ from: "2026-02-30", to: "2026-03-01" }, "from"],
        [{ from: "2026-11-01", to: "01/12/2026" }, "to"],
        [{ from: "2026-11-02", to: "2026-11-01" }, "to"],
        [{ from: "2016-01-01", to: "2026-01-08" }, "to"],
      ];
      for (const [range, path] of cases) {
        const problem = expectProblem(
          await world.run(saved.id, range),
          400,
          "validation_failed",
          JSON.stringify(range),
        );
        expect((problem.errors ?? []).map((error) => error.path)).toContain(path);
        expectProblem(await world.runCsv(saved.id, range), 400, "validation_failed");
      }
      // 3,660 local days run.
      expectBody(await world.run(saved.id, { from: "2016-01-01", to: "2026-01-07" }), op.runReportDefinition, 200);
    });

    it("answers 409 when the filters name a segment deleted since, until the filters change", async () => {
      const world = await reportWorld(gw);
      const m = await world.enrolAt("2026-10-30T09:00:00Z");
      await world.earnAt("2026-10-30T10:00:00Z", m.externalId, { points: 10 });
      const list = expectBody(
        await gw.call("POST", `/v1/programs/${world.programId}/segments`, {
          as: world.owner,
          body: { name: "List", type: "static" },
        }),
        op.createSegment,
        201,
      );
      const saved = await world.define({
        dataset: "transactions",
        dimensions: [],
        measures: ["points"],
        filters: { not: { field: "segment", op: "eq", value: list.id } },
      });
      expect(expectBody(await world.run(saved.id, autumn), op.runReportDefinition, 200).rows).toEqual([{ points: 10 }]);
      await gw.call("DELETE", `/v1/segments/${list.id}`, { as: world.owner });
      const problem = expectProblem(await world.run(saved.id, autumn), 409, "invalid_state");
      expect(problem.detail).toContain(list.id);
      expect(problem.errors?.[0]?.path).toBe("filters");
      expectBody(
        await gw.call("PATCH", `/v1/report-definitions/${saved.id}`, { as: world.owner, body: { filters: null } }),
        op.updateReportDefinition,
        200,
      );
      expect(expectBody(await world.run(saved.id, autumn), op.runReportDefinition, 200).rows).toEqual([{ points: 10 }]);
    });
  });

  describe("a definition's life", () => {
    it("saves, reads, lists newest first, changes and deletes a definition", async () => {
      const world = await reportWorld(gw);
      const { owner } = world;
      const savedAt = gw.clock.now().toISOString();
      const body = {
        name: "  Earn by channel  ",
        dataset: "transactions",
        dimensions: ["channel"],
        measures: ["count", "points"],
        filters: { field: "type", op: "eq", value: "earn" },
        interval: "week",
      };
      const saved = expectBody(await world.create(body), op.createReportDefinition, 201);
      expect(saved).toEqual({
        id: expect.stringMatching(/^rpt_[0-9a-z]{26}$/),
        program_id: world.programId,
        name: "Earn by channel",
        dataset: "transactions",
        dimensions: ["channel"],
        measures: ["count", "points"],
        filters: { field: "type", op: "eq", value: "earn" },
        interval: "week",
        created_at: savedAt,
        updated_at: savedAt,
      });
      const get = (id: string) => gw.call("GET", `/v1/report-definitions/${id}`, { as: owner });
      expect(expectBody(await get(saved.id), op.getReportDefinition, 200)).toEqual(saved);
      const second = await world.define({ dataset: "members", dimensions: [], measures: ["count"] });
      const third = await world.define({ dataset: "touchpoints", dimensions: ["channel"], measures: ["count"] });
      const list = (query: string) => gw.call("GET", `${world.definitionsPath}${query}`, { as: owner });
      const first = expectBody(await list("?limit=2"), op.listReportDefinitions, 200);
      expect(first.data.map((d) => d.id)).toEqual([third.id, second.id]);
      expect(first.has_more).toBe(true);
      const rest = expectBody(await list(`?limit=2&starting_after=${second.id}`), op.listReportDefinitions, 200);
      expect(rest).toEqual({ object: "list", data: [saved], has_more: false });

      gw.clock.advance(60_000);
      const changedAt = gw.clock.now().toISOString();
      const patch = (id: string, change: unknown) =>
        gw.call("PATCH", `/v1/report-definitions/${id}`, { as: owner, body: change });
      const renamed = expectBody(await patch(saved.id, { name: "Earn weekly" }), op.updateReportDefinition, 200);
      expect(renamed).toEqual({ ...saved, name: "Earn weekly", updated_at: changedAt });
      const plain = expectBody(
        await patch(saved.id, { filters: null, interval: null }),
        op.updateReportDefinition,
        200,
      );
      expect(plain).toEqual({ ...renamed, filters: null, interval: null });
      const moved = expectBody(
        await patch(saved.id, {
          dataset: "members",
          dimensions: ["tier", "locale"],
          measures: ["balance"],
          filters: { field: "lifetime_earned", op: "gt", value: 0 },
          interval: "month",
        }),
        op.updateReportDefinition,
        200,
      );
      expect(moved).toEqual({
        ...plain,
        dataset: "members",
        dimensions: ["tier", "locale"],
        measures: ["balance"],
        filters: { field: "lifetime_earned", op: "gt", value: 0 },
        interval: "month",
      });
      expect(expectBody(await world.run(saved.id, autumn), op.runReportDefinition, 200).columns).toEqual([
        "enrolled_month",
        "tier",
        "locale",
        "balance",
      ]);

      const deleted = await gw.call("DELETE", `/v1/report-definitions/${saved.id}`, { as: owner });
      expect(expectBody(deleted, op.deleteReportDefinition, 200)).toEqual({
        id: saved.id,
        object: "report_definition",
        deleted: true,
      });
      expectProblem(await get(saved.id), 404, "not_found");
      expectProblem(await world.run(saved.id), 404, "not_found");
      expectProblem(await patch(saved.id, { name: "x" }), 404, "not_found");
      expectProblem(await gw.call("DELETE", `/v1/report-definitions/${saved.id}`, { as: owner }), 404, "not_found");
      expect(expectBody(await list(""), op.listReportDefinitions, 200).data.map((d) => d.id)).toEqual([
        third.id,
        second.id,
      ]);
    });

    it("answers the CSV of a run as its JSON, cell for cell, with formula cells neutralised", async () => {
      const world = await reportWorld(gw);
      const m = await world.enrolAt("2026-10-30T09:00:00Z", "pt-BR");
      await world.earnAt(
        "2026-10-30T10:00:00Z",
        m.externalId,
        { points: 7 },
        { channel: "store", store_id: "Лиссабон, 42" },
      );
      await world.earnAt("2026-11-02T10:00:00Z", m.externalId, { points: 5 });
      await gw.call("POST", `/v1/programs/${world.programId}/members/${m.externalId}/touchpoints`, {
        as: world.owner,
        body: { channel: "web", reason: "survey", direction: "inbound", rating: 4 },
      });
      await gw.call("POST", `/v1/programs/${world.programId}/members/${m.externalId}/touchpoints`, {
        as: world.owner,
        body: { channel: "web", reason: "survey", direction: "inbound", rating: 5 },
      });
      await gw.call("POST", `/v1/programs/${world.programId}/members/${m.externalId}/touchpoints`, {
        as: world.owner,
        body: { channel: "web", reason: "survey", direction: "inbound", rating: 5 },
      });
      for (const definition of [
        { dataset: "transactions", dimensions: ["day", "channel", "store_id"], measures: ["count", "points"] },
        { dataset: "touchpoints", dimensions: ["reason"], measures: ["count", "mean_rating"], interval: "month" },
        { dataset: "members", dimensions: [], measures: ["count", "balance", "lifetime_earned"] },
      ]) {
        const saved = await world.define(definition);
        const run = expectBody(await world.run(saved.id, autumn), op.runReportDefinition, 200);
        expect(run.rows.length).toBeGreaterThan(0);
        const csv = await world.runCsv(saved.id, autumn);
        expectCsvOf(csv, run.columns, run.rows);
        expect(csv.headers.get("report-truncated")).toBe("false");
        expect(csv.headers.get("content-disposition")).toBe(
          `attachment; filename="${saved.id}-2026-10-01-2026-11-30.csv"`,
        );
      }
      // A store named like a formula stays text in the JSON, and a spreadsheet reads it as text from the CSV.
      await world.earnAt("2026-11-03T10:00:00Z", m.externalId, { points: 1 }, { store_id: "=HYPERLINK(1)" });
      const stores = await world.define({ dataset: "transactions", dimensions: ["store_id"], measures: ["count"] });
      const run = expectBody(await world.run(stores.id, autumn), op.runReportDefinition, 200);
      expect(run.rows).toContainEqual({ store_id: "=HYPERLINK(1)", count: 1 });
      expect((await world.runCsv(stores.id, autumn)).text).toContain("\r\n'=HYPERLINK(1),1\r\n");
    });
  });

  describe("who may do what", () => {
    it("lets the program's owner and the operator do everything, answers 403 to a partner with an agreement and 404 to any other", async () => {
      const world = await reportWorld(gw);
      const stranger = await onboardPartner(gw);
      const saved = await world.define({ dataset: "transactions", dimensions: ["type"], measures: ["count"] });
      const body = { name: "Mine", dataset: "members", dimensions: [], measures: ["count"] };
      const calls = (as: typeof world.owner) => [
        world.create(body, as),
        gw.call("GET", world.definitionsPath, { as }),
        gw.call("GET", `/v1/report-definitions/${saved.id}`, { as }),
        gw.call("PATCH", `/v1/report-definitions/${saved.id}`, { as, body: { name: "Theirs" } }),
        world.run(saved.id, autumn, as),
        world.runCsv(saved.id, autumn, as),
        gw.call("DELETE", `/v1/report-definitions/${saved.id}`, { as }),
      ];
      const before = await rowCounts(gw, ["report_definitions"]);
      for (const answer of await Promise.all(calls(stranger))) {
        expectProblem(answer, 404, "not_found");
        expect(answer.text).not.toContain(world.owner.id);
      }
      for (const answer of await Promise.all(calls(world.grocer))) expectProblem(answer, 403, "forbidden");
      const narrowed = await gw.token(world.owner, "members:read members:write points:earn");
      expectProblem(
        await gw.call("GET", `/v1/report-definitions/${saved.id}/run`, { token: narrowed }),
        403,
        "forbidden",
      );
      expect(await rowCounts(gw, ["report_definitions"])).toEqual(before);
      expect(
        expectBody(
          await gw.call("GET", `/v1/report-definitions/${saved.id}`, { as: world.owner }),
          op.getReportDefinition,
          200,
        ),
      ).toEqual(saved);

      const byOperator = expectBody(await world.create(body, gw.operator), op.createReportDefinition, 201);
      expect(byOperator.program_id).toBe(world.programId);
      expect(
        expectBody(await gw.call("GET", world.definitionsPath, { as: gw.operator }), op.listReportDefinitions, 200)
          .data,
      ).toHaveLength(2);
      expectBody(await world.run(saved.id, autumn, gw.operator), op.runReportDefinition, 200);
      expect((await world.runCsv(saved.id, autumn, gw.operator)).status).toBe(200);
      expectBody(
        await gw.call("PATCH", `/v1/report-definitions/${saved.id}`, { as: gw.operator, body: { name: "Operator's" } }),
        op.updateReportDefinition,
        200,
      );
      expectBody(
        await gw.call("DELETE", `/v1/report-definitions/${byOperator.id}`, { as: gw.operator }),
        op.deleteReportDefinition,
        200,
      );
    });
  });

  describe("local days across daylight-saving changes", () => {
    it("buckets an America/New_York program's rows by its local days of 23 and 25 hours", async () => {
      const world = await reportWorld(gw, "America/New_York", "2026-03-07T12:00:00Z");
      const m = await world.enrolAt("2026-03-07T12:00:00Z");
      // Spring forward on Sunday 2026-03-08 (02:00 EST -> 03:00 EDT): a day of 23 hours.
      const spring: [string, number][] = [
        ["2026-03-08T04:59:00Z", 1_000], // Sat 03-07 23:59 EST
        ["2026-03-08T05:00:00Z", 2_000], // Sun 03-08 00:00 EST
        ["2026-03-08T07:30:00Z", 4_000], // Sun 03-08 03:30 EDT
        ["2026-03-09T03:59:00Z", 8_000], // Sun 03-08 23:59 EDT
        ["2026-03-09T04:00:00Z", 16_000], // Mon 03-09 00:00 EDT
      ];
      // Fall back on Sunday 2026-11-01 (02:00 EDT -> 01:00 EST): a day of 25 hours, 01:30 twice.
      const autumnal: [string, number][] = [
        ["2026-10-31T03:59:00Z", 1], // Fri 10-30 23:59 EDT
        ["2026-10-31T04:00:00Z", 2], // Sat 10-31 00:00 EDT
        ["2026-11-01T03:30:00Z", 4], // Sat 10-31 23:30 EDT
        ["2026-11-01T04:30:00Z", 8], // Sun 11-01 00:30 EDT
        ["2026-11-01T05:30:00Z", 16], // Sun 11-01 01:30 EDT
        ["2026-11-01T06:30:00Z", 32], // Sun 11-01 01:30 EST
        ["2026-11-02T04:30:00Z", 64], // Sun 11-01 23:30 EST
        ["2026-11-02T05:00:00Z", 128], // Mon 11-02 00:00 EST
        ["2026-11-03T04:59:00Z", 256], // Mon 11-02 23:59 EST
        ["2026-11-03T05:00:00Z", 512], // Tue 11-03 00:00 EST
      ];
      for (const [at, points] of [...spring, ...autumnal]) await world.earnAt(at, m.externalId, { points });
      const daily = { dataset: "transactions", dimensions: ["day"], measures: ["count", "points"] };
      expect(await world.rowsOf(daily, { from: "2026-03-07", to: "2026-03-09" })).toEqual([
        { day: "2026-03-07", count: 1, points: 1_000 },
        { day: "2026-03-08", count: 3, points: 14_000 },
        { day: "2026-03-09", count: 1, points: 16_000 },
      ]);
      const fall = await world.report(daily, { from: "2026-10-31", to: "2026-11-02" });
      expect(fall).toMatchObject({ timezone: "America/New_York", from: "2026-10-31", to: "2026-11-02" });
      expect(fall.rows).toEqual([
        { day: "2026-10-31", count: 2, points: 6 },
        { day: "2026-11-01", count: 4, points: 120 },
        { day: "2026-11-02", count: 2, points: 384 },
      ]);
      // Sunday 11-01 is the last day of the ISO week of Monday 10-26.
      expect(await world.rowsOf({ ...daily, dimensions: ["week"] }, { from: "2026-10-31", to: "2026-11-02" })).toEqual([
        { week: "2026-10-26", count: 6, points: 126 },
        { week: "2026-11-02", count: 2, points: 384 },
      ]);
      // Both changes inside one range.
      expect(await world.rowsOf({ ...daily, dimensions: ["month"] }, { from: "2026-03-01", to: "2026-11-30" })).toEqual(
        [
          { month: "2026-03-01", count: 5, points: 31_000 },
          { month: "2026-10-01", count: 3, points: 7 },
          { month: "2026-11-01", count: 7, points: 1_016 },
        ],
      );
    });
  });
}
