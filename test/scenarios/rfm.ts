import { describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner, setupProgram, unique } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Credential, Target } from "./target";

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** What the scoring stored of a member beside its scores: its raw recency, frequency and spend. */
type Raw = { recency_days: number; frequency: number; monetary: number };

/**
 * A program owned by a new partner, with helpers to earn by purchase, to score it now, to read its scoring, and
 * to read a member's `rfm` (through GET the member) and its raw values (from `member_rfm`).
 */
async function rfmProgram(gw: Gateway) {
  const program = await setupProgram(gw);
  const rfmPath = `/v1/programs/${program.programId}/rfm`;
  const recompute = (as: Credential = program.owner) => gw.call("POST", `${rfmPath}/recompute`, { as });
  const getRfm = (as: Credential = program.owner) => gw.call("GET", rfmPath, { as });
  /** Scores the program now, expecting 202 and the scoring. */
  const scored = async () => expectBody(await recompute(), op.recomputeRfm, 202);
  const rfm = async () => expectBody(await getRfm(), op.getRfm, 200);
  const rfmOf = async (externalId: string) => expectBody(await program.member(externalId), op.getMember, 200).rfm;
  /** Earns for a purchase in USD: 1 point per 100 minor units at the owner's agreement. */
  const purchase = async (externalId: string, amountMinor: number) =>
    expectBody(
      await gw.call("POST", "/v1/transactions/earn", {
        as: program.owner,
        headers: { "Idempotency-Key": newKey() },
        body: {
          program_id: program.programId,
          external_id: externalId,
          purchase: { amount_minor: amountMinor, currency: "USD" },
          reference: unique("order"),
        },
      }),
      op.earnPoints,
      201,
    );
  const raw = async (externalId: string) =>
    (
      await gw.rows<Raw>(
        `select r.recency_days, r.frequency, r.monetary from member_rfm r join members m on m.id = r.member_id
         where m.program_id = ? and m.external_id = ?`,
        program.programId,
        externalId,
      )
    )[0];
  const enrolled = async (count: number) =>
    Promise.all(Array.from({ length: count }, async () => (await program.enrol()).externalId));
  return { ...program, recompute, getRfm, scored, rfm, rfmOf, purchase, raw, enrolled };
}

/** Every segment with its members, in the contract's order, from the counts given (others 0). */
const segmentCounts = (counts: Record<string, number>) =>
  [
    "champions",
    "loyal",
    "potential_loyalist",
    "new_customers",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cannot_lose",
    "hibernating",
    "lost",
  ].map((segment) => ({ segment, members: counts[segment] ?? 0 }));

/** A 5x5 grid of zeros but a 1 in each (R, F) cell given. */
const gridWith = (cells: [number, number][]) =>
  Array.from({ length: 5 }, (_, r) =>
    Array.from({ length: 5 }, (_, f) => cells.filter(([cr, cf]) => cr === r + 1 && cf === f + 1).length),
  );

/** Issue 17, item 4: RFM scores, segments, the program's grid, the daily job and who may read and recompute. */
export function rfmScenarios(target: Target) {
  const gw = connect(target);

  describe("RFM known answers", () => {
    it("scores R, F and M by the members strictly worse, equal values alike; M is purchase amounts, else points", async () => {
      const program = await rfmProgram(gw);
      const [a, b, c, d, e] = (await program.enrolled(5)) as [string, string, string, string, string];
      // Day 0: A earns 100 points, B buys for 10,000 (100 points).
      await program.earn(a, 100);
      await program.purchase(b, 10_000);
      // Day 10: C earns twice 50, D earns 300.
      target.clock.advance(10 * dayMs);
      await program.earn(c, 50);
      await program.earn(c, 50);
      await program.earn(d, 300);
      // Day 15: E earns 10 three times, A earns 100 again.
      target.clock.advance(5 * dayMs);
      for (let n = 0; n < 3; n++) await program.earn(e, 10);
      await program.earn(a, 100);
      expect(await program.rfmOf(a)).toBeNull();
      // Scored at day 17.5 (n = 5; a score is 1 + floor(5 b / 5) = 1 + b):
      //   days since the last earn: A 2, B 17, C 7, D 7, E 2 -> b (more days): A 3, B 0, C 1, D 1, E 3
      //   earns:                    A 2, B 1,  C 2, D 1, E 3 -> b (fewer):    A 2, B 0, C 2, D 0, E 4
      //   spend:                    A 200, B 10,000 (the purchase's amount, not its points), C 100, D 300, E 30
      //                                                     -> b (less):      A 2, B 4, C 1, D 3, E 0
      target.clock.advance(2 * dayMs + 12 * hourMs);
      const scoring = await program.scored();
      const now = target.clock.now().toISOString();
      expect(await program.raw(b)).toEqual({ recency_days: 17, frequency: 1, monetary: 10_000 });
      expect(await program.raw(a)).toEqual({ recency_days: 2, frequency: 2, monetary: 200 });
      const expected = {
        [a]: { r: 4, f: 3, m: 3, score: "433", segment: "potential_loyalist" },
        [b]: { r: 1, f: 1, m: 5, score: "115", segment: "lost" },
        [c]: { r: 2, f: 3, m: 2, score: "232", segment: "at_risk" },
        [d]: { r: 2, f: 1, m: 4, score: "214", segment: "hibernating" },
        [e]: { r: 4, f: 5, m: 1, score: "451", segment: "loyal" },
      };
      for (const [externalId, rfm] of Object.entries(expected))
        expect(await program.rfmOf(externalId), externalId).toEqual({ ...rfm, computed_at: now });
      // The list shows the same scores, read for the page at once.
      const list = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/members?limit=100`, { as: program.owner }),
        op.listMembers,
        200,
      );
      expect(Object.fromEntries(list.data.map((member) => [member.external_id, member.rfm]))).toEqual(
        Object.fromEntries(Object.entries(expected).map(([id, rfm]) => [id, { ...rfm, computed_at: now }])),
      );
      expect(scoring).toEqual({
        program_id: program.programId,
        computed_at: now,
        window_days: 365,
        members_scored: 5,
        segments: segmentCounts({ potential_loyalist: 1, lost: 1, at_risk: 1, hibernating: 1, loyal: 1 }),
        grid: gridWith([
          [4, 3],
          [1, 1],
          [2, 3],
          [2, 1],
          [4, 5],
        ]),
      });
      expect(await program.rfm()).toEqual(scoring);
    });

    it("maps the cells of the R-by-F grid to their segments, and counts them", async () => {
      // Each member's R and F are its ranks when all values differ (n = 5): F earns of 10 points each, the last on
      // day R - 1, scored on day 4 (so R5 earned 0 days before, R1 4 days). M follows the earns, so M = F.
      const play = async (cells: [number, number][]) => {
        const program = await rfmProgram(gw);
        const members = await program.enrolled(cells.length);
        for (let r = 1; r <= 5; r++) {
          for (const [index, [cr, f]] of cells.entries())
            if (cr === r) for (let n = 0; n < f; n++) await program.earn(members[index] as string, 10);
          target.clock.advance(r < 5 ? dayMs : hourMs);
        }
        const scoring = await program.scored();
        const rfms = await Promise.all(members.map((externalId) => program.rfmOf(externalId)));
        return { scoring, rfms: rfms.map((rfm) => rfm && [rfm.score, rfm.segment]) };
      };
      const first = await play([
        [1, 5],
        [2, 2],
        [3, 3],
        [4, 4],
        [5, 1],
      ]);
      expect(first.rfms).toEqual([
        ["155", "cannot_lose"],
        ["222", "hibernating"],
        ["333", "need_attention"],
        ["444", "loyal"],
        ["511", "new_customers"],
      ]);
      const second = await play([
        [5, 5],
        [4, 1],
        [3, 2],
        [2, 3],
        [1, 4],
      ]);
      expect(second.rfms).toEqual([
        ["555", "champions"],
        ["411", "promising"],
        ["322", "about_to_sleep"],
        ["233", "at_risk"],
        ["144", "at_risk"],
      ]);
      expect(second.scoring).toMatchObject({
        members_scored: 5,
        segments: segmentCounts({ champions: 1, promising: 1, about_to_sleep: 1, at_risk: 2 }),
        grid: gridWith([
          [5, 5],
          [4, 1],
          [3, 2],
          [2, 3],
          [1, 4],
        ]),
      });
    });

    it("scores a lone member 111 (lost), and members with equal values all alike", async () => {
      const lone = await rfmProgram(gw);
      const [only] = (await lone.enrolled(1)) as [string];
      await lone.earn(only, 5000);
      await lone.scored();
      // n = 1, b = 0 for each: 1 + floor(0 / 1) = 1.
      expect(await lone.rfmOf(only)).toMatchObject({ r: 1, f: 1, m: 1, score: "111", segment: "lost" });

      const equal = await rfmProgram(gw);
      const members = await equal.enrolled(3);
      for (const externalId of members) {
        await equal.earn(externalId, 100);
        await equal.earn(externalId, 100);
      }
      // Same day, same count, same spend: b = 0 for every member and score, whatever n.
      const scoring = await equal.scored();
      for (const externalId of members)
        expect(await equal.rfmOf(externalId)).toMatchObject({ score: "111", segment: "lost" });
      expect(scoring).toMatchObject({ members_scored: 3, segments: segmentCounts({ lost: 3 }) });
    });

    it("scores earns made after now - 365 days only, and takes the scores of a member without any away", async () => {
      const program = await rfmProgram(gw);
      const [old, recent] = (await program.enrolled(2)) as [string, string];
      const first = await program.earn(old, 100);
      target.clock.advance(200 * dayMs);
      await program.earn(recent, 100);
      // One second before the first earn is 365 days old: it counts (364 whole days).
      target.clock.set(new Date(new Date(first.created_at).getTime() + 365 * dayMs - 1000));
      expect(await program.scored()).toMatchObject({ members_scored: 2 });
      expect(await program.raw(old)).toEqual({ recency_days: 364, frequency: 1, monetary: 100 });
      // At 365 days it no longer does: the member has no earn in the window, is not scored and loses its row.
      target.clock.advance(1000);
      const scoring = await program.scored();
      expect(scoring).toMatchObject({ members_scored: 1, segments: segmentCounts({ lost: 1 }) });
      expect(await program.rfmOf(old)).toBeNull();
      expect(await program.raw(old)).toBeUndefined();
      expect(await program.rfmOf(recent)).toMatchObject({ score: "111" });
      expect(await program.raw(recent)).toEqual({ recency_days: 165, frequency: 1, monetary: 100 });
    });

    it("counts no fully reversed earn, and a partly reversed one's spend in proportion, rounded down", async () => {
      const program = await rfmProgram(gw);
      const [p, q, s, t] = (await program.enrolled(4)) as [string, string, string, string];
      await program.earn(p, 100);
      const bought = await program.purchase(q, 10_001); // 100 points
      const points = await program.earn(s, 100);
      const undone = await program.earn(t, 100);
      target.clock.advance(3 * dayMs);
      const later = await program.earn(p, 50);
      expectBody(await program.reverse(later.id), op.reverseTransaction, 201);
      expectBody(await program.reverse(bought.id, { points: 33 }), op.reverseTransaction, 201);
      expectBody(await program.reverse(points.id, { points: 40 }), op.reverseTransaction, 201);
      expectBody(await program.reverse(undone.id), op.reverseTransaction, 201);
      target.clock.advance(12 * hourMs);
      const scoring = await program.scored();
      // P: its later earn, fully reversed, is neither its last earn nor counted: 3 days, 1 earn, 100.
      expect(await program.raw(p)).toEqual({ recency_days: 3, frequency: 1, monetary: 100 });
      // Q: 10,001 x (100 - 33) / 100 = 6,700.67, rounded down.
      expect(await program.raw(q)).toEqual({ recency_days: 3, frequency: 1, monetary: 6700 });
      // S: points net of the reversal, 100 - 40.
      expect(await program.raw(s)).toEqual({ recency_days: 3, frequency: 1, monetary: 60 });
      // T's only earn is fully reversed: not scored.
      expect(await program.rfmOf(t)).toBeNull();
      // n = 3; R and F all equal (1); M: S 60 < P 100 < Q 6,700 -> 1, 1 + floor(5/3) = 2, 1 + floor(10/3) = 4.
      expect(scoring.members_scored).toBe(3);
      expect((await program.rfmOf(s))?.score).toBe("111");
      expect((await program.rfmOf(p))?.score).toBe("112");
      expect((await program.rfmOf(q))?.score).toBe("114");
    });
  });

  describe("RFM scoring over time", () => {
    it("shows nothing before the first scoring: computed_at null, every count 0, members' rfm null", async () => {
      const program = await rfmProgram(gw);
      const [member] = (await program.enrolled(1)) as [string];
      await program.earn(member, 100);
      expect(await program.rfm()).toEqual({
        program_id: program.programId,
        computed_at: null,
        window_days: 365,
        members_scored: 0,
        segments: segmentCounts({}),
        grid: gridWith([]),
      });
      expect(await program.rfmOf(member)).toBeNull();
    });

    it("scores each program once per 24 hours in the every-minute jobs, and a run with nothing due changes nothing", async () => {
      const program = await rfmProgram(gw);
      const [first, second] = (await program.enrolled(2)) as [string, string];
      await program.earn(first, 100);
      await target.runJobs();
      const scoredAt = target.clock.now().toISOString();
      expect(await program.rfm()).toMatchObject({ computed_at: scoredAt, members_scored: 1 });
      expect(await program.rfmOf(first)).toMatchObject({ score: "111", computed_at: scoredAt });

      // A second member earns two hours later; the jobs leave the scoring until it is 24 hours old.
      target.clock.advance(2 * hourMs);
      await program.earn(second, 300);
      await target.runJobs();
      target.clock.advance(dayMs - 2 * hourMs - 1000);
      await target.runJobs();
      expect(await program.rfm()).toMatchObject({ computed_at: scoredAt, members_scored: 1 });
      expect(await program.rfmOf(second)).toBeNull();

      target.clock.advance(1000);
      await target.runJobs();
      const rescoredAt = target.clock.now().toISOString();
      const rescored = await program.rfm();
      expect(rescored).toMatchObject({ computed_at: rescoredAt, members_scored: 2 });
      // n = 2. Days: first 1, second 0 (22 hours) -> R 1 and 1 + floor(5 x 1 / 2) = 3; F equal: 1 and 1;
      // M 100 < 300: 1 and 3. Second: R3 F1, about_to_sleep.
      expect(await program.rfmOf(first)).toMatchObject({ score: "111", computed_at: rescoredAt });
      expect(await program.rfmOf(second)).toMatchObject({ score: "313", segment: "about_to_sleep" });
      await target.runJobs();
      expect(await program.rfm()).toEqual(rescored);

      // A recompute starts the 24 hours again.
      target.clock.advance(12 * hourMs);
      const recomputed = await program.scored();
      target.clock.advance(23 * hourMs);
      await target.runJobs();
      expect(await program.rfm()).toEqual(recomputed);
      target.clock.advance(hourMs);
      await target.runJobs();
      expect((await program.rfm()).computed_at).toBe(target.clock.now().toISOString());
    });
  });

  describe("who may read and recompute RFM", () => {
    it("lets the owner and the operator recompute (202) and read, the same scoring", async () => {
      const program = await rfmProgram(gw);
      const [member] = (await program.enrolled(1)) as [string];
      await program.earn(member, 100);
      const answer = await program.recompute(gw.operator);
      const scoring = expectBody(answer, op.recomputeRfm, 202);
      expect(scoring).toMatchObject({ members_scored: 1, computed_at: target.clock.now().toISOString() });
      expect(expectBody(await program.getRfm(gw.operator), op.getRfm, 200)).toEqual(scoring);
      expect(await program.rfm()).toEqual(scoring);
    });

    it("answers 404 to a partner without an agreement and for an unknown program, 403 to one with an agreement", async () => {
      const program = await rfmProgram(gw);
      const [member] = (await program.enrolled(1)) as [string];
      await program.earn(member, 100);
      const stranger = await onboardPartner(gw);
      expectProblem(await program.recompute(stranger), 404, "not_found");
      expectProblem(await program.getRfm(stranger), 404, "not_found");
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      expectProblem(await program.recompute(grocer), 403, "forbidden");
      expectProblem(await program.getRfm(grocer), 403, "forbidden");
      const unknown = "/v1/programs/prg_00000000000000000000000000/rfm";
      expectProblem(await gw.call("GET", unknown, { as: program.owner }), 404, "not_found");
      expectProblem(await gw.call("POST", `${unknown}/recompute`, { as: program.owner }), 404, "not_found");
      // A members:read token of the owner is not enough either.
      const token = await gw.token(program.owner, "members:read");
      expectProblem(
        await gw.call("POST", `/v1/programs/${program.programId}/rfm/recompute`, { token }),
        403,
        "forbidden",
      );
      // Nothing of it scored the program.
      expect((await program.rfm()).computed_at).toBeNull();
      expect(await program.rfmOf(member)).toBeNull();
    });
  });
}
