import { describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { centsAt, foldLiability, type JournalRow } from "./liability-fold";
import * as op from "./routes";
import { sandboxControls } from "./sandbox-fixtures";
import type { Target } from "./target";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * `GET /v1/programs/{program_id}/reports/liability` on a sandbox deployment (SANDBOX=true): a history played on the
 * test clock over 106 days (earns without and with expiry, a longer expiry later, burns, a burn held and approved
 * and one rejected, a transfer held and approved and one not, reversals of earns and burns made after the instants reported, adjustments both ways,
 * expiry by the jobs) reported as of past instants and compared with the journal folded in the test.
 */
export function reportsLiabilityScenarios(target: Target) {
  const gw = connect(target);

  const { now: sandboxNow, moveClockTo, runJobs } = sandboxControls(gw);
  const liabilityPath = (programId: string, asOf?: number | string) =>
    `/v1/programs/${programId}/reports/liability${
      asOf === undefined
        ? ""
        : `?as_of=${encodeURIComponent(typeof asOf === "number" ? new Date(asOf).toISOString() : asOf)}`
    }`;

  /** A program with a played history, its members, the instants worth reporting and the adjustments that took points. */
  async function playedHistory() {
    const program = await setupProgram(gw, { redeem_price_micros: 12_345 });
    const { owner, programId } = program;
    const d0 = Math.ceil((await sandboxNow()) / HOUR) * HOUR;
    await moveClockTo(d0);
    const [ann, ben, cat, dan, eve] = [
      await program.enrol(),
      await program.enrol(),
      await program.enrol(),
      await program.enrol(),
      await program.enrol(),
    ];
    const debits = new Set<string>();
    const adjust = async (externalId: string, points: number) => {
      const adjusted = expectBody(
        await gw.call("POST", "/v1/transactions/adjustments", {
          as: owner,
          headers: { "Idempotency-Key": newKey() },
          body: { program_id: programId, external_id: externalId, points, reason: "goodwill or correction" },
        }),
        op.adjustPoints,
        201,
      );
      if (points < 0) debits.add(adjusted.id);
    };
    const setExpiry = async (days: number) =>
      expectBody(
        await gw.call("PATCH", `/v1/programs/${programId}`, { as: owner, body: { points_expire_after_days: days } }),
        op.updateProgram,
        200,
      );
    const held = async (externalId: string, points: number) => {
      const answer = expectBody(await program.move("burn", externalId, points), op.burnPoints, 202);
      if (!answer.review_id) throw new Error("a held burn names its review");
      return answer.review_id;
    };
    const decide = async (reviewId: string, verb: "approve" | "reject") =>
      expect((await gw.call("POST", `/v1/reviews/${reviewId}/${verb}`, { as: gw.operator })).status).toBe(200);

    // Day 0: points that never expire, then the program's points expire after 100 days; a second burn within an hour
    // is held for review.
    await program.earn(ann.externalId, 1_000);
    await program.earn(ben.externalId, 400);
    await setExpiry(100);
    const velocity = await gw.call("PUT", `/v1/programs/${programId}/velocity-rules`, {
      as: gw.operator,
      body: { max_burns_per_member_per_hour: 1, actions: { max_burns_per_member_per_hour: "hold" } },
    });
    expect(velocity.status).toBe(200);
    await moveClockTo(d0 + HOUR);
    await program.earn(ann.externalId, 600);
    const benEarn = await program.earn(ben.externalId, 800);
    const catEarn = await program.earn(cat.externalId, 500);
    const annBurn = await program.burn(ann.externalId, 300);
    expect((await program.reverse(benEarn.id, { points: 200 })).status).toBe(201);
    await program.burn(cat.externalId, 50);
    const catHeld = await held(cat.externalId, 100);
    await adjust(dan.externalId, 250);
    await adjust(ann.externalId, -100);
    const t1 = d0 + 20 * DAY;

    // Day 30: a new redeem price, more earns, the held burn approved, a burn reversed, a transfer; then 400 days.
    await moveClockTo(d0 + 30 * DAY);
    await addAgreement(gw, programId, owner.id, { issue_price_micros: 12_000, redeem_price_micros: 9_999 });
    await program.earn(ann.externalId, 2_000);
    await decide(catHeld, "approve");
    const benBurn = await program.burn(ben.externalId, 100);
    expect((await program.reverse(benBurn.id)).status).toBe(201);
    // Transfers count as burns for the velocity rule: ben's (after his burn) is held and approved, eve's is not.
    await gw.call("PUT", `/v1/programs/${programId}/transfer-rules`, { as: owner, body: { enabled: true } });
    const transfer = (from: string, points: number) =>
      gw.call("POST", "/v1/transfers", {
        as: owner,
        headers: { "Idempotency-Key": newKey() },
        body: {
          program_id: programId,
          from_external_id: from,
          to_external_id: dan.externalId,
          points,
          reference: "gift",
        },
      });
    const benTransfer = expectBody(await transfer(ben.externalId, 150), op.createTransfer, 202);
    await decide(benTransfer.review_id ?? "", "approve");
    await program.earn(eve.externalId, 300);
    expectBody(await transfer(eve.externalId, 120), op.createTransfer, 201);
    await setExpiry(400);
    await program.earn(cat.externalId, 700);
    const t2 = d0 + 40 * DAY + 2 * HOUR;

    // Day 50: part of an earn and of a burn of day 0 reversed, after t1 and t2: neither may see them.
    await moveClockTo(d0 + 50 * DAY);
    expect((await program.reverse(catEarn.id, { points: 100 })).status).toBe(201);
    expect((await program.reverse(annBurn.id, { points: 60 })).status).toBe(201);
    // Day 100 + 3 hours: the first lots are due, and the job has not run yet.
    const overdue = d0 + 100 * DAY + 3 * HOUR;
    // Day 101: the expiry job; day 102 a burn held and rejected on day 104.
    await moveClockTo(d0 + 101 * DAY);
    expect((await runJobs()).expiry.expired_points).toBeGreaterThan(0);
    await moveClockTo(d0 + 102 * DAY);
    await program.burn(dan.externalId, 10);
    const danHeld = await held(dan.externalId, 20);
    await moveClockTo(d0 + 104 * DAY);
    await decide(danHeld, "reject");
    const t3 = d0 + 105 * DAY;
    await moveClockTo(d0 + 106 * DAY);
    const rows = await gw.rows<JournalRow>(
      `select id, type, member_id, points, original_transaction_id, expires_at, created_at from ledger_transactions
       where program_id = ? order by created_at, id`,
      programId,
    );
    return { program, members: [ann, ben, cat, dan, eve], debits, rows, d0, t1, t2, overdue, t3 };
  }

  const report = async (programId: string, asOf?: number) =>
    expectBody(await gw.call("GET", liabilityPath(programId, asOf), { as: gw.operator }), op.getLiabilityReport, 200);

  describe("liability as of an instant", () => {
    it("folds the journal written by each past instant, whatever happened since, as the test folds it", async () => {
      const history = await playedHistory();
      const { programId } = history.program;

      // t1 by hand: ann 1,000 never expiring + 200 left of 600 (burn 300, debit 100); ben 400 + 600 (800 less 200
      // reversed); cat 500 - 50 burned, 100 of it pending; dan 250. Lots expire on day 100, 80 days after t1.
      const first = await report(programId, history.t1);
      expect(first).toEqual({
        program_id: programId,
        as_of: new Date(history.t1).toISOString(),
        outstanding_points: 2_900,
        value: { amount_minor: centsAt(2_900, 12_345), currency: "USD" },
        expiring: [
          { until: new Date(history.t1 + 30 * DAY).toISOString(), points: 0 },
          { until: new Date(history.t1 + 60 * DAY).toISOString(), points: 0 },
          { until: new Date(history.t1 + 90 * DAY).toISOString(), points: 1_400 },
          { until: new Date(history.t1 + 180 * DAY).toISOString(), points: 0 },
          { until: new Date(history.t1 + 365 * DAY).toISOString(), points: 0 },
          { until: null, points: 1_500 },
        ],
        breakage_rate_365d: 0,
      });
      expect(first.value.amount_minor).toBe(3_580);

      for (const [at, price] of [
        [history.t1, 12_345],
        [history.t2, 9_999],
        [history.overdue, 9_999],
        [history.t3, 9_999],
      ] as const) {
        const folded = foldLiability(history.rows, at, history.debits);
        const answer = await report(programId, at);
        expect(answer, new Date(at).toISOString()).toEqual({
          program_id: programId,
          as_of: new Date(at).toISOString(),
          outstanding_points: folded.outstanding,
          value: { amount_minor: centsAt(folded.outstanding, price), currency: "USD" },
          expiring: folded.expiring,
          breakage_rate_365d: folded.breakage,
        });
        expect(answer.expiring.reduce((sum, bucket) => sum + bucket.points, 0)).toBe(answer.outstanding_points);
      }

      // t2 holds a lot expiring after 365 days (the 400-day expiry), in a bucket of its own up to its expiry.
      const second = await report(programId, history.t2);
      expect(second.expiring).toHaveLength(7);
      expect(second.expiring[5]).toEqual({ until: new Date(history.d0 + 430 * DAY).toISOString(), points: 700 });
      // Due but not yet expired: in the first bucket. After the job: gone, and breakage counts it.
      const overdue = await report(programId, history.overdue);
      expect(overdue.expiring[0]?.points).toBeGreaterThan(0);
      const third = await report(programId, history.t3);
      expect(third.breakage_rate_365d).toBeGreaterThan(0);
      expect(third.outstanding_points).toBeLessThan(overdue.outstanding_points);
    });

    it("reports now by default: the members' balances and expiring points as their own reads show them", async () => {
      const history = await playedHistory();
      const { program } = history;
      const now = await sandboxNow();
      const answer = expectBody(
        await gw.call("GET", liabilityPath(program.programId), { as: program.owner }),
        op.getLiabilityReport,
        200,
      );
      expect(answer.as_of).toBe(new Date(now).toISOString());
      const balances = await Promise.all(history.members.map((member) => program.balance(member.externalId)));
      expect(answer.outstanding_points).toBe(balances.reduce((sum, b) => sum + b.available + b.pending, 0));
      const expiring = balances.flatMap((b) => b.expiring).reduce((sum, lot) => sum + lot.points, 0);
      expect(answer.expiring.filter((bucket) => bucket.until !== null).reduce((sum, b) => sum + b.points, 0)).toBe(
        expiring,
      );
      expect(answer.value).toEqual({ amount_minor: centsAt(answer.outstanding_points, 9_999), currency: "USD" });
    });

    it("answers zeros and a null breakage before anything was issued", async () => {
      const program = await setupProgram(gw);
      const before = (await sandboxNow()) - 1_000;
      const member = await program.enrol();
      await program.earn(member.externalId, 10);
      const answer = await report(program.programId, before);
      expect(answer.outstanding_points).toBe(0);
      expect(answer.value.amount_minor).toBe(0);
      expect(answer.expiring.map((bucket) => bucket.points)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(answer.breakage_rate_365d).toBeNull();
    });
  });

  describe("access and parameters", () => {
    it("lets the owner and the operator read it: 404 to another partner, 403 to one with an agreement or scope", async () => {
      const program = await setupProgram(gw);
      const path = liabilityPath(program.programId);
      expect((await gw.call("GET", path, { as: program.owner })).status).toBe(200);
      expect((await gw.call("GET", path, { as: gw.operator })).status).toBe(200);
      const stranger = await onboardPartner(gw);
      const notFound = expectProblem(await gw.call("GET", path, { as: stranger }), 404, "not_found");
      expect(notFound.detail).not.toContain(program.owner.id);
      const earner = await onboardPartner(gw);
      await addAgreement(gw, program.programId, earner.id);
      expectProblem(await gw.call("GET", path, { as: earner }), 403, "forbidden");
      const reader = await gw.token(program.owner, "members:read points:earn points:burn");
      expectProblem(await gw.call("GET", path, { token: reader }), 403, "forbidden");
      expectProblem(await gw.call("GET", path), 401, "unauthorized");
      expectProblem(await gw.call("GET", liabilityPath("prg_nope"), { as: gw.operator }), 404, "not_found");
    });

    it("refuses an as_of that is not an RFC 3339 instant, one in the future, and unknown parameters, naming them", async () => {
      const program = await setupProgram(gw);
      const now = await sandboxNow();
      const refused = async (query: string, path: string, message: RegExp) => {
        const answer = await gw.call("GET", `/v1/programs/${program.programId}/reports/liability?${query}`, {
          as: program.owner,
        });
        const problem = expectProblem(answer, 400, "validation_failed", query);
        expect(problem.errors, query).toEqual([{ path, message: expect.stringMatching(message) }]);
      };
      await refused("as_of=yesterday", "as_of", /datetime/);
      await refused("as_of=2026-06-30", "as_of", /datetime/);
      await refused("as_of=2026-06-30T10:00:00", "as_of", /datetime/);
      await refused(`as_of=${encodeURIComponent(new Date(now + 60_000).toISOString())}`, "as_of", /future/);
      await refused("asof=2026-06-30T10:00:00Z", "query", /asof/);
      // An offset is read as the instant it names: two hours ahead of UTC, a day ago.
      const dayAgo = new Date(Math.floor((now - DAY) / 1_000) * 1_000);
      const local = new Date(dayAgo.getTime() + 2 * HOUR).toISOString().replace(".000Z", "+02:00");
      const answer = expectBody(
        await gw.call("GET", liabilityPath(program.programId, local), { as: program.owner }),
        op.getLiabilityReport,
        200,
      );
      expect(answer.as_of).toBe(dayAgo.toISOString());
    });
  });
}
