import { describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner, setupProgram, unique } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { foldKpis, type KpiJournalRow, localDate, localMidnight, plusDays, readJournal } from "./kpi-fold";
import { delivery, redemptionWorld } from "./redemption-fixtures";
import { expectCsvOf } from "./report-fixtures";
import * as op from "./routes";
import { sandboxControls } from "./sandbox-fixtures";
import type { Credential, Target } from "./target";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Interval = "day" | "week" | "month";
type KpiQuery = {
  from?: string;
  to?: string;
  interval?: Interval;
  table?: string;
  [other: string]: string | undefined;
};

/** A program as the helpers here need it: its id and its owner. */
type Program = Pick<Awaited<ReturnType<typeof setupProgram>>, "programId" | "owner">;

/** The zone's next change of offset after `after` (ms): the first minute whose offset differs from the one before. */
function nextChange(zone: string, after: number): number {
  const offset = (at: number) =>
    new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value;
  let at = Math.ceil(after / HOUR) * HOUR;
  const first = offset(at);
  while (offset(at) === first) at += HOUR;
  // Back to the minute: changes happen on whole minutes within the hour found.
  while (offset(at - MINUTE) !== first) at -= MINUTE;
  return at;
}

/**
 * `GET /v1/programs/{program_id}/reports/kpis` and `.csv` on a sandbox deployment (SANDBOX=true): a history played on
 * the test clock, the reports compared figure by figure with the journal folded in the test (test/scenarios/
 * kpi-fold.ts) before and after the roll-up job, DST days of two zones, roll-ups rebuilt from scratch against the
 * incremental ones after a seeded random workload, access and bad parameters.
 */
export function reportsKpisScenarios(target: Target) {
  const gw = connect(target);
  const { now, moveClockTo, runJobs } = sandboxControls(gw);

  const path = (programId: string, query: KpiQuery = {}, csv = false) => {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
    return `/v1/programs/${programId}/reports/kpis${csv ? ".csv" : ""}${params.size > 0 ? `?${params}` : ""}`;
  };
  const kpis = async (programId: string, query: KpiQuery = {}, as: Credential = gw.operator) =>
    expectBody(await gw.call("GET", path(programId, query), { as }), op.getKpiReport, 200);
  /** The report equals the journal folded in the test, and answers it. */
  const expectFolded = async (
    programId: string,
    zone: string,
    range: { from: string; to: string; interval: Interval },
  ) => {
    const report = await kpis(programId, range);
    expect(report, JSON.stringify(range)).toEqual({
      program_id: programId,
      timezone: zone,
      ...range,
      ...foldKpis(await readJournal(gw, programId), zone, range),
    });
    return report;
  };
  const setZone = async (program: Program, timezone: string) =>
    expectBody(
      await gw.call("PATCH", `/v1/programs/${program.programId}`, { as: program.owner, body: { timezone } }),
      op.updateProgram,
      200,
    );
  const decide = async (reviewId: string | null | undefined, verb: "approve" | "reject") =>
    expect((await gw.call("POST", `/v1/reviews/${reviewId}/${verb}`, { as: gw.operator })).status).toBe(200);
  /** Publishes a rate between two programs (1:1 in blocks of 100 unless told). */
  const publishRate = async (from: Program, to: Program, rate: Record<string, unknown> = {}) =>
    expectBody(
      await gw.call("POST", "/v1/conversion-rates", {
        as: gw.operator,
        body: {
          from_program_id: from.programId,
          to_program_id: to.programId,
          from_points: 1,
          to_points: 1,
          min_points: 100,
          increment: 100,
          fee_bps: 0,
          ...rate,
        },
      }),
      op.createConversionRate,
      201,
    );
  /** Quotes and executes a conversion as the source's owner; answers the execution as answered. */
  const convert = async (from: Program, to: Program, fromExternalId: string, toExternalId: string, points: number) => {
    const quote = await gw.call("POST", "/v1/conversions/quotes", {
      as: from.owner,
      body: {
        from_program_id: from.programId,
        to_program_id: to.programId,
        from_external_id: fromExternalId,
        to_external_id: toExternalId,
        from_points: points,
      },
    });
    if (quote.status !== 201) return quote;
    return gw.call("POST", "/v1/conversions", {
      as: from.owner,
      headers: { "Idempotency-Key": newKey() },
      body: { quote_id: expectBody(quote, op.quoteConversion, 201).id },
    });
  };
  const transfer = (program: Program, from: string, to: string, points: number) =>
    gw.call("POST", "/v1/transfers", {
      as: program.owner,
      headers: { "Idempotency-Key": newKey() },
      body: { program_id: program.programId, from_external_id: from, to_external_id: to, points, reference: "gift" },
    });
  const adjust = (program: Program, externalId: string, points: number) =>
    gw.call("POST", "/v1/transactions/adjustments", {
      as: program.owner,
      headers: { "Idempotency-Key": newKey() },
      body: { program_id: program.programId, external_id: externalId, points, reason: "goodwill or correction" },
    });
  /** What the roll-ups hold for a program, every column. */
  const rollups = async (programId: string) => ({
    daily: await gw.rows("select * from report_daily where program_id = ? order by day", programId),
    active: await gw.rows(
      "select grain, bucket, member_id from report_active_members where program_id = ? order by grain, bucket, member_id",
      programId,
    ),
  });

  describe("who may read KPIs, and what they may ask", () => {
    it("answers the owner and the operator; 403 to a partner with an agreement, 404 to any other", async () => {
      const program = await setupProgram(gw);
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      const stranger = await onboardPartner(gw);
      const owned = await kpis(program.programId, {}, program.owner);
      expect(await kpis(program.programId)).toEqual(owned);
      for (const csv of [false, true]) {
        const url = path(program.programId, {}, csv);
        expectProblem(await gw.call("GET", url, { as: grocer }), 403, "forbidden");
        expectProblem(await gw.call("GET", url, { as: stranger }), 404, "not_found");
        expectProblem(await gw.call("GET", path("prg_nope", {}, csv), { as: gw.operator }), 404, "not_found");
        // A token of the owner that may only read members is not one that manages the program.
        const reader = await gw.token(program.owner, "members:read");
        expectProblem(await gw.call("GET", url, { token: reader }), 403, "forbidden");
      }
    });

    it("reports the 30 local days ending today by default, by day, every day a row, empty ones included", async () => {
      const program = await setupProgram(gw);
      await setZone(program, "Pacific/Kiritimati");
      const today = localDate("Pacific/Kiritimati", await now());
      const report = await kpis(program.programId);
      expect(report).toMatchObject({ timezone: "Pacific/Kiritimati", from: plusDays(today, -29), to: today });
      expect(report.interval).toBe("day");
      expect(report.series.map((row) => [row.start, row.end])).toEqual(
        Array.from({ length: 30 }, (_, i) => [plusDays(today, i - 29), plusDays(today, i - 29)]),
      );
      const empty = {
        new_members: 0,
        active_members: 0,
        points_earned: 0,
        bonus_points: 0,
        points_burned: 0,
        points_redeemed: 0,
        points_converted_in: 0,
        points_converted_out: 0,
        points_transferred: 0,
        points_expired: 0,
        points_adjusted: 0,
        redemption_rate: null,
      };
      for (const row of report.series) expect(row).toEqual({ start: row.start, end: row.end, ...empty });
      expect(report.totals).toEqual(empty);
      // Only `from`: up to today; only `to`: the 30 days ending then.
      expect(await kpis(program.programId, { from: plusDays(today, -3) })).toMatchObject({ to: today });
      expect(await kpis(program.programId, { to: "2026-03-31" })).toMatchObject({ from: "2026-03-02" });
    });

    it("refuses bad ranges and parameters with 400 naming them", async () => {
      const program = await setupProgram(gw);
      const cases: [KpiQuery, string][] = [
        [{ from: "2027-02-30" }, "from"],
        [{ from: "2027-2-3" }, "from"],
        [{ to: "tomorrow" }, "to"],
        [{ from: "2027-03-02", to: "2027-03-01" }, "to"],
        [{ from: "2026-01-01", to: "2027-02-05", interval: "day" }, "to"],
        [{ from: "2026-01-01", to: "2029-01-01", interval: "week" }, "to"],
        [{ from: "2026-01-01", to: "2029-01-01", interval: "month" }, "to"],
        [{ interval: "year" as Interval }, "interval"],
        [{ surprise: "1" }, ""],
      ];
      for (const [query, name] of cases)
        for (const csv of [false, true]) {
          const problem = expectProblem(
            await gw.call("GET", path(program.programId, query, csv), { as: program.owner }),
            400,
            "validation_failed",
            JSON.stringify(query),
          );
          if (name)
            expect(
              problem.errors?.map((e) => e.path),
              JSON.stringify(query),
            ).toContain(name);
        }
      expectProblem(
        await gw.call("GET", path(program.programId, { table: "rows" }, true), { as: program.owner }),
        400,
        "validation_failed",
      );
      // The longest ranges allowed: 400 days by day, 1,096 by week or month.
      expect((await kpis(program.programId, { from: "2026-01-01", to: "2027-02-04" })).series).toHaveLength(400);
      const months = await kpis(program.programId, { from: "2026-01-01", to: "2028-12-31", interval: "month" });
      expect(months.series).toHaveLength(36);
    });
  });

  describe("every KPI as the journal says", () => {
    it("equals the journal folded in the test, by day, ISO week and month, before and after the roll-up job", async () => {
      const zone = "Europe/Lisbon";
      // A program whose points expire after 14 days and whose spends above 1,000 points wait for a review; a
      // promotion pays 40 bonus points on every earn; the shop fulfils its products.
      const world = await redemptionWorld(gw, { review_threshold_points: 1_000, points_expire_after_days: 14 });
      await setZone(world, zone);
      const airline = await setupProgram(gw, { name: unique("SkyWays") });
      await publishRate(world, airline);
      await publishRate(airline, world);
      expect(
        (
          await gw.call("PUT", `/v1/programs/${world.programId}/transfer-rules`, {
            as: world.owner,
            body: { enabled: true, fee_bps: 500 },
          })
        ).status,
      ).toBe(200);
      const cheap = await world.reward({ points_price: 300 });
      const dear = await world.reward({ points_price: 1_500 });
      const order = async (externalId: string, rewardId: string, status: 201 | 202) =>
        expectBody(await world.redeem(externalId, rewardId, 1, { delivery }), op.createRedemption, status);

      // Day 0 is a Monday (local) at least two days ahead; `at(d, h)` is h hours after the local midnight of day d.
      let baseDay = plusDays(localDate(zone, await now()), 2);
      while (new Date(`${baseDay}T00:00:00Z`).getUTCDay() !== 1) baseDay = plusDays(baseDay, 1);
      const at = (d: number, hours: number) => localMidnight(zone, plusDays(baseDay, d)) + hours * HOUR;
      await moveClockTo(at(0, 8));
      expect(
        (
          await gw.call("POST", `/v1/programs/${world.programId}/promotions`, {
            as: world.owner,
            body: {
              name: "Forty on every earn",
              status: "active",
              starts_at: new Date(at(0, 8)).toISOString(),
              trigger: "earn",
              reward: { bonus_points: 40 },
            },
          })
        ).status,
      ).toBe(201);

      // Week 1.
      await moveClockTo(at(0, 9));
      const [ann, ben, cat, dan] = [await world.enrol(), await world.enrol(), await world.enrol(), await world.enrol()];
      await world.earn(ann.externalId, 5_000);
      await world.earn(ben.externalId, 4_000);
      await world.earn(cat.externalId, 3_000);
      await world.earn(dan.externalId, 500);
      await moveClockTo(at(0, 10));
      const annBurn = await world.burn(ann.externalId, 200);
      await order(ann.externalId, cheap.id, 201);
      expectBody(await transfer(world, ann.externalId, dan.externalId, 300), op.createTransfer, 201);
      await moveClockTo(at(0, 11));
      const benHeld = expectBody(await world.move("burn", ben.externalId, 1_200), op.burnPoints, 202).review_id;
      const annHeldOrder = (await order(ann.externalId, dear.id, 202)).review_id;
      const catHeld = expectBody(await world.move("burn", cat.externalId, 1_100), op.burnPoints, 202).review_id;
      await moveClockTo(at(1, 10));
      await decide(benHeld, "approve");
      await decide(annHeldOrder, "approve");
      await decide(catHeld, "reject");
      const flyer = await airline.enrol();
      expectBody(await convert(world, airline, cat.externalId, flyer.externalId, 500), op.executeConversion, 201);
      await moveClockTo(at(2, 10));
      const benConversion = expectBody(
        await convert(world, airline, ben.externalId, flyer.externalId, 1_100),
        op.executeConversion,
        202,
      );
      const eve = await world.enrol();
      await airline.earn(flyer.externalId, 2_000);
      expectBody(await convert(airline, world, flyer.externalId, eve.externalId, 1_000), op.executeConversion, 201);
      await moveClockTo(at(3, 10));
      await decide(benConversion.review_id, "approve");
      const catTransfer = expectBody(
        await transfer(world, cat.externalId, ann.externalId, 1_200),
        op.createTransfer,
        202,
      );
      await moveClockTo(at(4, 10));
      await decide(catTransfer.review_id, "approve");
      const cancelled = await order(ben.externalId, cheap.id, 201);
      await moveClockTo(at(5, 10));
      expect((await world.step("cancel", cancelled.id, { reason: "out of stock" })).status).toBe(200);
      const returned = await order(cat.externalId, cheap.id, 201);
      expect((await world.step("fulfil", returned.id, { tracking_reference: "TRK-1" })).status).toBe(200);
      // Sunday 23:30, the last half hour of week 1: an earn whose reversal comes in week 2.
      await moveClockTo(at(6, 23.5));
      const sunday = await world.earn(ann.externalId, 500);

      // Week 2: the reversal (its bonus's share too), adjustments both ways, the return, part of a burn reversed.
      await moveClockTo(at(7, 0.5));
      expect((await world.reverse(sunday.id, { points: 200 })).status).toBe(201);
      await moveClockTo(at(8, 10));
      expect((await adjust(world, dan.externalId, 250)).status).toBe(201);
      expect((await adjust(world, ann.externalId, -100)).status).toBe(201);
      await moveClockTo(at(9, 10));
      expect((await world.step("return", returned.id, { reason: "damaged" })).status).toBe(200);
      await moveClockTo(at(10, 10));
      expect((await world.reverse(annBurn.id, { points: 50 })).status).toBe(201);

      // The last evening of a month, its earn reversed in the first hour of the next.
      let monthEnd = 11;
      while (!plusDays(baseDay, monthEnd + 1).endsWith("-01")) monthEnd += 1;
      await moveClockTo(at(monthEnd, 23));
      const lastOfMonth = await world.earn(ben.externalId, 700);
      await moveClockTo(at(monthEnd + 1, 1));
      expect((await world.reverse(lastOfMonth.id)).status).toBe(201);

      // Day 0's lots expire on day 14: the jobs expire them on day 15 and roll up everything so far.
      await moveClockTo(Math.max(at(15, 10), at(monthEnd + 1, 2)));
      const jobs = await runJobs();
      expect(jobs.expiry.expired_points).toBeGreaterThan(0);
      expect(jobs.reports.rows).toBeGreaterThan(30);
      // After the run: rows the roll-ups do not hold yet.
      await moveClockTo(Math.max(at(16, 10), at(monthEnd + 2, 10)));
      await world.earn(dan.externalId, 100);
      await world.burn(dan.externalId, 50);
      const fin = await world.enrol();
      await world.earn(fin.externalId, 300);
      const lastDay = localDate(zone, await now());

      // Week 1 by hand: the same numbers the test's fold gives.
      const week1 = (await kpis(world.programId, { from: baseDay, to: plusDays(baseDay, 6), interval: "week" })).series;
      expect(week1).toEqual([
        {
          start: baseDay,
          end: plusDays(baseDay, 6),
          new_members: 5,
          active_members: 5,
          points_earned: 13_000,
          bonus_points: 200,
          points_burned: 1_400,
          points_redeemed: 2_100,
          points_converted_in: 1_000,
          points_converted_out: 1_600,
          points_transferred: 1_500,
          points_expired: 0,
          points_adjusted: 0,
          // (1,400 + 2,100 + 1,600) / 13,000
          redemption_rate: 0.3923,
        },
      ]);

      const ranges = [
        { from: baseDay, to: lastDay, interval: "day" as const },
        { from: plusDays(baseDay, 2), to: lastDay, interval: "week" as const },
        { from: plusDays(baseDay, 3), to: lastDay, interval: "month" as const },
        { from: plusDays(baseDay, -40), to: plusDays(baseDay, -1), interval: "week" as const },
      ];
      const beforeJob = [];
      for (const range of ranges) beforeJob.push(await expectFolded(world.programId, zone, range));
      // The roll-ups then hold every row: the same answers.
      expect((await runJobs()).reports.rows).toBeGreaterThan(0);
      for (const [i, range] of ranges.entries()) expect(await kpis(world.programId, range)).toEqual(beforeJob[i]);

      // The CSV is the JSON's tables, cell for cell.
      const byWeek = beforeJob[1];
      if (!byWeek) throw new Error("the weekly report");
      const csv = (table?: string) =>
        gw.call("GET", path(world.programId, { ...ranges[1], table }, true), { as: world.owner });
      const columns = (row: object) => Object.keys(row);
      expectCsvOf(await csv(), columns(byWeek.series[0] ?? {}), byWeek.series);
      expectCsvOf(await csv("series"), columns(byWeek.series[0] ?? {}), byWeek.series);
      expectCsvOf(await csv("totals"), columns(byWeek.totals), [byWeek.totals]);
    });
  });

  describe("a program's zone", () => {
    it("puts every movement in its local day across daylight-saving changes, midnight skipped or repeated", async () => {
      const zones = ["America/Santiago", "Europe/Lisbon"];
      const start = await now();
      for (const zone of zones.sort((a, b) => nextChange(a, start) - nextChange(b, start))) {
        const program = await setupProgram(gw);
        await setZone(program, zone);
        const from = await now();
        const change = nextChange(zone, from);
        const before = localDate(zone, change - MINUTE);
        const midnights = [0, 1, 2].map((d) => localMidnight(zone, plusDays(before, d)));
        // A day a DST change passes through lasts 23 or 25 hours.
        const hours = ((midnights[1] ?? 0) - (midnights[0] ?? 0)) / HOUR;
        const nextHours = ((midnights[2] ?? 0) - (midnights[1] ?? 0)) / HOUR;
        expect([hours, nextHours].filter((h) => h !== 24)).toHaveLength(1);
        // Earns of distinct powers of two a minute either side of each local midnight and of the change, each by a
        // member enrolled then.
        const instants = [...new Set([...midnights.flatMap((m) => [m - MINUTE, m]), change - MINUTE, change])]
          .filter((instant) => instant > from)
          .sort((a, b) => a - b);
        const dayOf = new Map<string, number>();
        for (const [i, instant] of instants.entries()) {
          await moveClockTo(instant);
          const member = await program.enrol();
          await program.earn(member.externalId, 2 ** i);
          const day = localDate(zone, instant);
          dayOf.set(day, (dayOf.get(day) ?? 0) + 2 ** i);
        }
        const range = { from: plusDays(before, -1), to: plusDays(before, 2), interval: "day" as const };
        const report = await expectFolded(program.programId, zone, range);
        expect(report.series.map((row) => [row.start, row.points_earned])).toEqual(
          [-1, 0, 1, 2].map((d) => [plusDays(before, d), dayOf.get(plusDays(before, d)) ?? 0]),
        );
        // Rolled up (the job had not run): the same answer; ISO weeks and months hold the days' sums.
        await runJobs();
        expect(await kpis(program.programId, range)).toEqual(report);
        for (const interval of ["week", "month"] as const)
          await expectFolded(program.programId, zone, { ...range, interval });
      }
    });
  });

  describe("roll-ups", () => {
    it("rebuilt from scratch equal the incremental ones after a seeded random workload", async () => {
      const world = await redemptionWorld(gw, { review_threshold_points: 800, points_expire_after_days: 20 });
      // UTC+05:45, named as the runtime's tz data spells it (Asia/Katmandu in some).
      const zone = (await setZone(world, "Asia/Kathmandu")).timezone;
      const other = await setupProgram(gw, { name: unique("Elsewhere") });
      await publishRate(world, other);
      await gw.call("PUT", `/v1/programs/${world.programId}/transfer-rules`, {
        as: world.owner,
        body: { enabled: true, fee_bps: 250 },
      });
      const reward = await world.reward({ points_price: 200 });
      expect(
        (
          await gw.call("POST", `/v1/programs/${world.programId}/promotions`, {
            as: world.owner,
            body: {
              name: "Ten percent more",
              status: "active",
              starts_at: new Date(await now()).toISOString(),
              trigger: "earn",
              reward: { multiplier_bps: 11_000 },
            },
          })
        ).status,
      ).toBe(201);
      const elsewhere = await other.enrol();
      const members: string[] = [];
      for (let i = 0; i < 4; i++) members.push((await world.enrol()).externalId);

      // mulberry32: the same workload on every run and runtime.
      let seed = 21;
      const random = () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
      };
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const amount = (low: number, high: number) => low + Math.floor(random() * (high - low));
      const moves: string[] = [];
      const reviews: string[] = [];
      const orders: string[] = [];
      const first = await now();
      let clock = first;
      const held = (answer: { status: number; body: unknown }) => {
        const id = (answer.body as { review_id?: string | null }).review_id;
        if (answer.status === 202 && id) reviews.push(id);
      };
      /** Each step with its weight: earns most, so that spends, reversals and holds have points to take. */
      const steps: [number, () => Promise<unknown>][] = [
        [
          6,
          async () => {
            const earned = await world.move("earn", pick(members), amount(100, 2_000));
            if (earned.status === 201) moves.push((earned.body as { id: string }).id);
          },
        ],
        [
          3,
          async () => {
            const burned = await world.move("burn", pick(members), amount(10, 1_200));
            held(burned);
            if (burned.status === 201) moves.push((burned.body as { id: string }).id);
          },
        ],
        [
          2,
          async () => {
            if (moves.length > 0) await world.reverse(pick(moves), { points: amount(1, 120) });
          },
        ],
        [2, async () => held(await transfer(world, pick(members), pick(members), amount(1, 900)))],
        [
          2,
          async () => {
            const placed = await world.redeem(pick(members), reward.id, amount(1, 6), { delivery });
            held(placed);
            if (placed.status === 201) orders.push((placed.body as { id: string }).id);
          },
        ],
        [
          1,
          async () => {
            const id = orders.splice(amount(0, orders.length), 1)[0];
            if (id) await world.step("cancel", id, { reason: "changed their mind" });
          },
        ],
        [1, async () => held(await convert(world, other, pick(members), elsewhere.externalId, 100 * amount(1, 10)))],
        [1, async () => await adjust(world, pick(members), pick([-1, 1]) * amount(1, 300))],
        [
          2,
          async () => {
            const id = reviews.splice(amount(0, reviews.length), 1)[0];
            if (id) await gw.call("POST", `/v1/reviews/${id}/${pick(["approve", "reject"])}`, { as: gw.operator });
          },
        ],
        [
          1,
          async () => {
            // Two runs at once, as overlapping schedules would: each row rolled up once.
            if (random() < 0.5) await runJobs();
            else await Promise.all([runJobs(), runJobs()]);
          },
        ],
      ];
      const weights = steps.reduce((sum, [weight]) => sum + weight, 0);
      const step = () => {
        let left = random() * weights;
        for (const [weight, run] of steps) {
          left -= weight;
          if (left < 0) return run;
        }
        throw new Error("weights");
      };
      for (let i = 0; i < 120; i++) {
        clock += amount(5 * MINUTE, 12 * HOUR);
        await moveClockTo(clock);
        await step()();
      }
      await runJobs();
      const incremental = await rollups(world.programId);
      expect(incremental.daily.length).toBeGreaterThan(10);

      // What members hold is the roll-ups' outstanding change, summed over every day.
      const [holding] = await gw.rows<{ points: number }>(
        "select sum(balance) as points from accounts where program_id = ? and kind in ('member', 'member_hold')",
        world.programId,
      );
      expect(
        (incremental.daily as { outstanding_change: number }[]).reduce((s, d) => s + d.outstanding_change, 0),
      ).toBe(holding?.points);
      // Every transaction of the journal counted once.
      const journal: KpiJournalRow[] = (await readJournal(gw, world.programId)).rows;
      expect((incremental.daily as { transactions: number }[]).reduce((s, d) => s + d.transactions, 0)).toBe(
        journal.length,
      );

      const span = { from: localDate(zone, first), to: localDate(zone, clock) };
      const ranges = [
        { ...span, interval: "day" as const },
        { ...span, interval: "week" as const },
        { ...span, interval: "month" as const },
        { from: plusDays(span.from, 5), to: plusDays(span.to, -9), interval: "week" as const },
      ];
      for (const range of ranges) await expectFolded(world.programId, zone, range);

      // A new zone: the roll-ups are in the old one, so reports fold the journal alone until the job rebuilds them.
      await setZone(world, "America/New_York");
      for (const range of ranges) await expectFolded(world.programId, "America/New_York", range);
      expect((await runJobs()).reports.programs_rebuilt).toBe(1);
      for (const range of ranges) await expectFolded(world.programId, "America/New_York", range);
      // Back: rebuilt from scratch in the first zone, they equal the incremental ones, every column.
      await setZone(world, zone);
      expect((await runJobs()).reports.programs_rebuilt).toBe(1);
      expect(await rollups(world.programId)).toEqual(incremental);
      expect((await runJobs()).reports).toMatchObject({ rows: 0, programs_rebuilt: 0 });
    });
  });
}
