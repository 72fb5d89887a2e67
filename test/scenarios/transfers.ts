import { afterAll, describe, expect, it } from "vitest";
import { addAgreement, onboardPartner, rowCounts } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";
import { DAY, legsOf, transferEvents, transferProgram, transferRow } from "./transfer-fixtures";

/**
 * Transfers between members (issue 19, item 5): a program's transfer rules (defaults, validation, who may read and
 * set them), transfers with their fee as known answers, every refusal, idempotent replays, and transfers held for
 * review decided both ways. Checked through the API and in the database the gateway wrote (libSQL on Node, D1 in
 * workerd).
 */
export function transferScenarios(target: Target) {
  const gw = connect(target);
  const tables = ["transfers", "ledger_transactions", "ledger_entries", "events", "idempotency_keys", "reviews"];
  /** How many rows each table holds: equal before and after, nothing was written. */
  const counts = () => rowCounts(gw, tables);
  const decide = (reviewId: string, verb: "approve" | "reject") =>
    gw.call("POST", `/v1/reviews/${reviewId}/${verb}`, { as: gw.operator, body: { reason: `${verb}d by a person` } });

  afterAll(async () => {
    await expectLedgerInvariants(gw.rows);
  });

  describe("transfer rules", () => {
    it("answers the defaults before any PUT: off, at least 1 point, no maximum, no fee, no minimum age", async () => {
      const world = await transferProgram(gw);
      // A fresh program of the same owner: transferProgram switched the first one on.
      const fresh = expectBody(
        await gw.call("POST", "/v1/programs", {
          as: gw.operator,
          body: {
            partner_id: world.owner.id,
            name: "Fresh",
            point_name: "point",
            settlement_currency: "USD",
            issue_price_micros: 1,
            redeem_price_micros: 1,
          },
        }),
        op.createProgram,
        201,
      );
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, fresh.id, grocer.id);
      const defaults = {
        program_id: fresh.id,
        enabled: false,
        min_points: 1,
        max_points_per_member_per_month: null,
        fee_bps: 0,
        min_membership_days: 0,
        updated_at: null,
      };
      const path = `/v1/programs/${fresh.id}/transfer-rules`;
      for (const as of [world.owner, grocer, gw.operator])
        expect(expectBody(await gw.call("GET", path, { as }), op.getTransferRules, 200)).toEqual(defaults);
      // A partner token that may only read members, or only burn, reads them too.
      for (const scope of ["members:read", "points:burn"]) {
        const token = await gw.token(grocer, scope);
        expect(expectBody(await gw.call("GET", path, { token }), op.getTransferRules, 200)).toEqual(defaults);
      }
      expectProblem(await gw.call("GET", path, { as: await onboardPartner(gw) }), 404, "not_found");
    });

    it("replaces the rules with PUT (what is left out takes its default) and reads them back", async () => {
      const world = await transferProgram(gw);
      const set = expectBody(
        await world.put({
          enabled: true,
          min_points: 100,
          max_points_per_member_per_month: 10_000,
          fee_bps: 250,
          min_membership_days: 30,
        }),
        op.putTransferRules,
        200,
      );
      expect(set).toEqual({
        program_id: world.programId,
        enabled: true,
        min_points: 100,
        max_points_per_member_per_month: 10_000,
        fee_bps: 250,
        min_membership_days: 30,
        updated_at: gw.clock.now().toISOString(),
      });
      const path = `/v1/programs/${world.programId}/transfer-rules`;
      expect(expectBody(await gw.call("GET", path, { as: world.owner }), op.getTransferRules, 200)).toEqual(set);
      const replaced = expectBody(await world.put({ enabled: false }), op.putTransferRules, 200);
      expect(replaced).toMatchObject({
        enabled: false,
        min_points: 1,
        max_points_per_member_per_month: null,
        fee_bps: 0,
        min_membership_days: 0,
      });
      // The operator sets them on any program.
      expect(
        expectBody(await world.put({ enabled: true, fee_bps: 10_000 }, gw.operator), op.putTransferRules, 200),
      ).toMatchObject({ enabled: true, fee_bps: 10_000 });
    });

    it("refuses rules out of range with 400 at their paths, and changes nothing", async () => {
      const world = await transferProgram(gw, { min_points: 5 });
      const cases: [Record<string, unknown>, string][] = [
        [{ enabled: true, min_points: 0 }, "min_points"],
        [{ enabled: true, max_points_per_member_per_month: 0 }, "max_points_per_member_per_month"],
        [{ enabled: true, fee_bps: -1 }, "fee_bps"],
        [{ enabled: true, fee_bps: 10_001 }, "fee_bps"],
        [{ enabled: true, min_membership_days: -1 }, "min_membership_days"],
        [{ enabled: true, min_points: 1.5 }, "min_points"],
        [{ min_points: 10 }, "enabled"],
        [{ enabled: "yes" }, "enabled"],
        [{ enabled: true, min_points: 500, max_points_per_member_per_month: 499 }, "max_points_per_member_per_month"],
      ];
      for (const [body, path] of cases) {
        const problem = expectProblem(await world.put(body), 400, "validation_failed", JSON.stringify(body));
        expect(
          problem.errors?.map((e) => e.path),
          JSON.stringify(body),
        ).toContain(path);
      }
      expectProblem(await world.put({ enabled: true, surprise: 1 }), 400, "validation_failed");
      const rules = await gw.call("GET", `/v1/programs/${world.programId}/transfer-rules`, { as: world.owner });
      expect(expectBody(rules, op.getTransferRules, 200)).toMatchObject({ enabled: true, min_points: 5 });
    });

    it("lets only the owner and the operator set them: 403 to a partner with an agreement, 404 to any other", async () => {
      const world = await transferProgram(gw);
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, world.programId, grocer.id);
      expectProblem(await world.put({ enabled: false }, grocer), 403, "forbidden");
      expectProblem(await world.put({ enabled: false }, await onboardPartner(gw)), 404, "not_found");
      expectProblem(await world.put({}, gw.operator), 400, "validation_failed");
      expectProblem(
        await gw.call("PUT", `/v1/programs/prg_nope/transfer-rules`, { as: gw.operator, body: { enabled: true } }),
        404,
        "not_found",
      );
    });
  });

  describe("transfers", () => {
    it("moves points and the fee in one write: the fee rounded up, the legs, the balances (known answer)", async () => {
      const world = await transferProgram(gw, { fee_bps: 250 });
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, world.programId, grocer.id);
      const ana = await world.funded(5_000);
      const ben = await world.funded(40);
      // 2.5% of 1001 is 25.025: the fee is 26, and Ben receives 975.
      const transfer = await world.sent(ana.externalId, ben.externalId, 1_001, { as: grocer, reference: "bday" });
      expect(transfer).toEqual({
        id: expect.stringMatching(/^trf_/),
        program_id: world.programId,
        from_external_id: ana.externalId,
        to_external_id: ben.externalId,
        points: 1_001,
        fee_points: 26,
        received_points: 975,
        from_balance_after: 3_999,
        to_balance_after: 1_015,
        reference: "bday",
        status: "completed",
        review_id: null,
        created_at: gw.clock.now().toISOString(),
      });
      // Exactly 2.5% of 1000 needs no rounding.
      expect(await world.sent(ana.externalId, ben.externalId, 1_000)).toMatchObject({
        fee_points: 25,
        received_points: 975,
        from_balance_after: 2_999,
        to_balance_after: 1_990,
      });
      expect(await world.points(ana.externalId)).toEqual({ available: 2_999, pending: 0 });
      expect(await world.points(ben.externalId)).toEqual({ available: 1_990, pending: 0 });

      // Two transactions, each balanced on its own, through the program's transfer fees account, which keeps the fee.
      const row = await transferRow(gw, transfer.id);
      const fees = `${world.programId}:transfer_fees`;
      expect(await legsOf(gw, row.out_transaction_id)).toEqual([
        { account_id: ana.id, amount: -1_001 },
        { account_id: fees, amount: 1_001 },
      ]);
      expect(await legsOf(gw, row.in_transaction_id ?? "")).toEqual([
        { account_id: fees, amount: -975 },
        { account_id: ben.id, amount: 975 },
      ]);
      expect(await gw.rows("select kind, balance from accounts where id = ?", fees)).toEqual([
        { kind: "transfer_fees", balance: 51 },
      ]);
      // Each member's history shows its side, as the members' transactions list answers it.
      const history = expectBody(
        await gw.call("GET", `/v1/programs/${world.programId}/members/${ben.externalId}/transactions`, {
          as: world.owner,
        }),
        op.listMemberTransactions,
        200,
      );
      expect(history.data.map((t) => [t.type, t.points, t.balance_after, t.partner_id])).toEqual([
        ["transfer_in", 975, 1_990, world.owner.id],
        ["transfer_in", 975, 1_015, grocer.id],
        ["earn", 40, 40, world.owner.id],
      ]);
      const sent = expectBody(
        await gw.call("GET", `/v1/transactions/${row.out_transaction_id}`, { as: grocer }),
        op.getTransaction,
        200,
      );
      expect(sent).toMatchObject({ type: "transfer_out", points: 1_001, balance_after: 3_999, reference: "bday" });

      // points.transferred once to the owner and once to the partner that asked, carrying the transfer.
      const events = await transferEvents(gw, transfer.id);
      expect(events.map((e) => [e.partnerId, e.type]).sort()).toEqual(
        [
          [world.owner.id, "points.transferred"],
          [grocer.id, "points.transferred"],
        ].sort(),
      );
      for (const event of events) expect(event.data).toEqual(transfer);
      // The owner alone asking: one event.
      const own = await world.sent(ana.externalId, ben.externalId, 100);
      expect((await transferEvents(gw, own.id)).map((e) => e.partnerId)).toEqual([world.owner.id]);

      // The partner that made it and the owner read it; anyone else gets 404.
      for (const as of [grocer, world.owner])
        expect(expectBody(await world.get(transfer.id, as), op.getTransfer, 200)).toEqual(transfer);
      expectProblem(await world.get(transfer.id, await onboardPartner(gw)), 404, "not_found");
      const other = await onboardPartner(gw);
      await addAgreement(gw, world.programId, other.id);
      expectProblem(await world.get(transfer.id, other), 404, "not_found");
      expectProblem(await world.get("trf_nope"), 404, "not_found");
    });

    it("refuses what the rules and the members do not allow, writing nothing", async () => {
      const world = await transferProgram(gw, { min_points: 10, fee_bps: 5_000 });
      const ana = await world.funded(100);
      const ben = await world.funded(0);
      const before = await counts();
      const invalid = async (points: number, to: string, path: string, detail: RegExp) => {
        const problem = expectProblem(await world.send(ana.externalId, to, points), 400, "validation_failed");
        expect(problem.errors?.[0]?.path).toBe(path);
        expect(problem.detail).toMatch(detail);
      };
      await invalid(10, ana.externalId, "to_external_id", /must not be the sender/);
      await invalid(9, ben.externalId, "points", /at least 10/);
      expectProblem(await world.send(ana.externalId, ben.externalId, 0), 400, "validation_failed");
      expectProblem(await world.send(ana.externalId, "nobody", 10), 404, "not_found");
      expectProblem(await world.send("nobody", ben.externalId, 10), 404, "not_found");
      expect(
        expectProblem(await world.send(ana.externalId, ben.externalId, 101), 409, "insufficient_points").detail,
      ).toBeTruthy();
      expect(await counts()).toEqual(before);
      // A fee of 100% leaves the receiver nothing: 400, whatever the amount.
      expectBody(await world.put({ enabled: true, fee_bps: 10_000 }), op.putTransferRules, 200);
      await invalid(50, ben.externalId, "points", /nothing to receive/);
      // Switched off: 403 transfers_disabled.
      expectBody(await world.put({ enabled: false }), op.putTransferRules, 200);
      expectProblem(await world.send(ana.externalId, ben.externalId, 50), 403, "transfers_disabled");
      // To oneself is a bad request whatever the rules.
      expectProblem(await world.send(ana.externalId, ana.externalId, 50), 400, "validation_failed");
      expect(await counts()).toEqual(before);
      expect(await world.points(ana.externalId)).toEqual({ available: 100, pending: 0 });
    });

    it("refuses a sender younger than the minimum membership age (403 not_eligible), until it is old enough", async () => {
      const world = await transferProgram(gw, { min_membership_days: 30 });
      const ana = await world.funded(100);
      const ben = await world.funded(0);
      const problem = expectProblem(await world.send(ana.externalId, ben.externalId, 10), 403, "not_eligible");
      expect(problem.detail).toMatch(/30 days/);
      // Ben is as young, but receiving is not limited.
      gw.clock.advance(30 * DAY - 1_000);
      expectProblem(await world.send(ana.externalId, ben.externalId, 10), 403, "not_eligible");
      gw.clock.advance(1_000);
      expect(await world.sent(ana.externalId, ben.externalId, 10)).toMatchObject({ received_points: 10 });
    });

    it("needs an agreement that allows burning: 403 without can_burn, 404 without an agreement", async () => {
      const world = await transferProgram(gw);
      const ana = await world.funded(100);
      const ben = await world.funded(0);
      const earner = await onboardPartner(gw);
      await addAgreement(gw, world.programId, earner.id, { can_burn: false });
      expectProblem(await world.send(ana.externalId, ben.externalId, 10, { as: earner }), 403, "forbidden");
      expectProblem(
        await world.send(ana.externalId, ben.externalId, 10, { as: await onboardPartner(gw) }),
        404,
        "not_found",
      );
      // The scope: points:burn.
      const token = await gw.token(world.owner, "points:earn members:read");
      expectProblem(await world.send(ana.externalId, ben.externalId, 10, { token }), 403, "forbidden");
      expect(await world.points(ana.externalId)).toEqual({ available: 100, pending: 0 });
    });

    it("replays a retried transfer by its Idempotency-Key, and refuses the key with another body (422)", async () => {
      const world = await transferProgram(gw, { fee_bps: 100 });
      const ana = await world.funded(1_000);
      const ben = await world.funded(0);
      const key = "transfer-key-1";
      const first = await world.send(ana.externalId, ben.externalId, 300, { key, reference: "r1" });
      const again = await world.send(ana.externalId, ben.externalId, 300, { key, reference: "r1" });
      expect(again.status).toBe(201);
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.text).toBe(first.text);
      const before = await counts();
      expectProblem(
        await world.send(ana.externalId, ben.externalId, 301, { key, reference: "r1" }),
        422,
        "idempotency_key_reused",
      );
      expect(await counts()).toEqual(before);
      // Without a key: 400, nothing moved.
      expectProblem(await world.send(ana.externalId, ben.externalId, 10, { key: null }), 400, "validation_failed");
      expect(await world.points(ana.externalId)).toEqual({ available: 700, pending: 0 });
      expect(await world.points(ben.externalId)).toEqual({ available: 297, pending: 0 });
      expect(await gw.rows("select count(*) as n from transfers where from_member_id = ?", ana.id)).toEqual([{ n: 1 }]);
    });
  });

  describe("transfers held for review", () => {
    it("holds a transfer above the review threshold (202), and completes it once approved", async () => {
      const world = await transferProgram(
        gw,
        { fee_bps: 1_000, max_points_per_member_per_month: 1_000 },
        { review_threshold_points: 500 },
      );
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, world.programId, grocer.id);
      const ana = await world.funded(2_000);
      const ben = await world.funded(10);
      const held = expectBody(
        await world.send(ana.externalId, ben.externalId, 600, { as: grocer }),
        op.createTransfer,
        202,
      );
      expect(held).toMatchObject({
        status: "held",
        review_id: expect.stringMatching(/^rev_/),
        points: 600,
        fee_points: 60,
        received_points: 540,
        from_balance_after: 1_400,
        to_balance_after: null,
      });
      const reviewId = held.review_id ?? "";
      expect(await world.points(ana.externalId)).toEqual({ available: 1_400, pending: 600 });
      expect(await world.points(ben.externalId)).toEqual({ available: 10, pending: 0 });
      expect(await transferEvents(gw, held.id)).toEqual([]);
      expect(expectBody(await world.get(held.id, grocer), op.getTransfer, 200)).toEqual(held);
      const queue = expectBody(
        await gw.call("GET", "/v1/reviews?status=pending", { as: gw.operator }),
        op.listReviews,
        200,
      );
      expect(queue.data.find((r) => r.id === reviewId)).toMatchObject({
        kind: "transfer",
        transfer_id: held.id,
        points: 600,
        rule: "review_threshold",
        partner_id: grocer.id,
      });
      // Held transfers count towards the monthly maximum: 401 more would pass it.
      expectProblem(await world.send(ana.externalId, ben.externalId, 401), 409, "limit_exceeded");

      const approved = expectBody(await decide(reviewId, "approve"), op.approveReview, 200);
      const completed = {
        ...held,
        status: "completed",
        from_balance_after: 1_400,
        to_balance_after: 550,
      };
      expect(approved).toMatchObject({
        id: reviewId,
        kind: "transfer",
        status: "approved",
        transfer_id: held.id,
        transaction: null,
        transfer: completed,
      });
      expect(await world.points(ana.externalId)).toEqual({ available: 1_400, pending: 0 });
      expect(await world.points(ben.externalId)).toEqual({ available: 550, pending: 0 });
      expect(expectBody(await world.get(held.id, world.owner), op.getTransfer, 200)).toEqual(completed);
      const events = await transferEvents(gw, held.id);
      expect(events.map((e) => e.partnerId).sort()).toEqual([world.owner.id, grocer.id].sort());
      for (const event of events) expect(event).toMatchObject({ type: "points.transferred", data: completed });
      // The transfer_out leaves the hold and points at it; the fee stays with the program.
      const row = await transferRow(gw, held.id);
      const [out] = await gw.rows<{ type: string; original_transaction_id: string | null }>(
        "select type, original_transaction_id from ledger_transactions where id = ?",
        row.out_transaction_id,
      );
      expect(out?.type).toBe("transfer_out");
      expect(await legsOf(gw, row.out_transaction_id)).toEqual([
        { account_id: `${ana.id}:hold`, amount: -600 },
        { account_id: `${world.programId}:transfer_fees`, amount: 600 },
      ]);
      const [hold] = await gw.rows<{ type: string }>(
        "select type from ledger_transactions where id = ?",
        out?.original_transaction_id,
      );
      expect(hold?.type).toBe("hold");
      // Decided once: a second decision is refused.
      expectProblem(await decide(reviewId, "reject"), 409, "conflict");
      // 400 left of the month's 1000 (600 counted): reaching it exactly goes through (below the threshold).
      expect(await world.sent(ana.externalId, ben.externalId, 400)).toMatchObject({ status: "completed" });
      expectProblem(await world.send(ana.externalId, ben.externalId, 10), 409, "limit_exceeded");
    });

    it("gives the points back when rejected, and the rejected transfer no longer counts towards the maximum", async () => {
      const world = await transferProgram(
        gw,
        { max_points_per_member_per_month: 1_000 },
        { review_threshold_points: 500 },
      );
      const ana = await world.funded(2_000);
      const ben = await world.funded(0);
      const held = expectBody(await world.send(ana.externalId, ben.externalId, 900), op.createTransfer, 202);
      expectProblem(await world.send(ana.externalId, ben.externalId, 101), 409, "limit_exceeded");
      const rejected = expectBody(await decide(held.review_id ?? "", "reject"), op.rejectReview, 200);
      const asRejected = { ...held, status: "rejected", from_balance_after: 1_100, to_balance_after: null };
      expect(rejected).toMatchObject({ status: "rejected", kind: "transfer", transfer: asRejected });
      expect(expectBody(await world.get(held.id), op.getTransfer, 200)).toEqual(asRejected);
      expect(await world.points(ana.externalId)).toEqual({ available: 2_000, pending: 0 });
      expect(await world.points(ben.externalId)).toEqual({ available: 0, pending: 0 });
      expect(await transferEvents(gw, held.id)).toEqual([]);
      const journal = await gw.rows<{ type: string; points: number }>(
        "select type, points from ledger_transactions where member_id = ? order by rowid",
        ana.id,
      );
      expect(journal).toEqual([
        { type: "earn", points: 2_000 },
        { type: "hold", points: 900 },
        { type: "release", points: 900 },
      ]);
      // The hold and its release moved points: each is announced (to the owner, here the caller too, once) with the
      // sender's balance it left.
      const moves = await gw.rows<{ type: string; payload: string }>(
        "select type, payload from events where type in ('points.held', 'points.released') and json_extract(payload, '$.data.member_id') = ? order by rowid",
        ana.id,
      );
      expect(
        moves.map((row) => [row.type, JSON.parse(row.payload).data.type, JSON.parse(row.payload).data.balance_after]),
      ).toEqual([
        ["points.held", "hold", 1_100],
        ["points.released", "release", 2_000],
      ]);
      // The whole month's maximum is free again: 500 and 500 (each at the threshold, not above it).
      expect(await world.sent(ana.externalId, ben.externalId, 500)).toMatchObject({ status: "completed" });
      expect(await world.sent(ana.externalId, ben.externalId, 500)).toMatchObject({ status: "completed" });
      expectProblem(await world.send(ana.externalId, ben.externalId, 1), 409, "limit_exceeded");
    });
  });
}
