import { describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner, rowCounts, setupProgram, unique } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Credential, Target } from "./target";

const DAY = 86_400_000;

/**
 * Adjustments (issue 16, item 5): the program owner's (or the operator's) credits and debits, audited with their
 * reason and actor; and the channel and store of earns and burns. Checked through the API and in the database the
 * gateway wrote (libSQL on Node, D1 in workerd).
 */
export function adjustmentScenarios(target: Target) {
  const gw = connect(target);
  const tables = ["ledger_transactions", "ledger_entries", "events", "idempotency_keys", "accounts"] as const;
  /** How many rows each table holds: equal before and after, nothing was written. */
  const counts = () => rowCounts(gw, tables);

  /** A program with a member, and a helper to adjust it (as the owner unless told). */
  async function adjustable(overrides: Record<string, unknown> = {}) {
    const world = await setupProgram(gw, overrides);
    const { externalId, id: memberId } = await world.enrol();
    const adjust = (body: Record<string, unknown>, options: { as?: Credential; key?: string } = {}) =>
      gw.call("POST", "/v1/transactions/adjustments", {
        as: options.as ?? world.owner,
        headers: { "Idempotency-Key": options.key ?? newKey() },
        body: { program_id: world.programId, external_id: externalId, ...body },
      });
    return { ...world, externalId, memberId, adjust };
  }

  describe("adjustments", () => {
    it("credits a member from the issuance account, with its reason and actor, and sends points.adjusted", async () => {
      const { programId, owner, externalId, memberId, adjust, balance } = await adjustable();
      const answer = await adjust({ points: 250, reason: "Goodwill: flight delayed" });
      const credited = expectBody(answer, op.adjustPoints, 201);
      expect(credited).toMatchObject({
        type: "adjustment",
        program_id: programId,
        member_id: memberId,
        external_id: externalId,
        partner_id: owner.id,
        points: 250,
        balance_after: 250,
        reason: "Goodwill: flight delayed",
        actor: owner.clientId,
        reference: null,
        expires_at: null,
        channel: null,
        store_id: null,
      });
      // Not an earn: the member's lifetime earned points do not count it.
      expect(await balance(externalId)).toMatchObject({ available: 250, lifetime_earned: 0 });
      expect(
        await gw.rows(
          "select account_id, amount from ledger_entries where transaction_id = ? order by amount",
          credited.id,
        ),
      ).toEqual([
        { account_id: `${programId}:issuance`, amount: -250 },
        { account_id: memberId, amount: 250 },
      ]);
      expect(await gw.rows("select points, reason, actor from ledger_transactions where id = ?", credited.id)).toEqual([
        { points: 250, reason: "Goodwill: flight delayed", actor: owner.clientId },
      ]);
      const events = await gw.rows<{ partner_id: string; type: string; payload: string }>(
        "select partner_id, type, payload from events where json_extract(payload, '$.data.id') = ?",
        credited.id,
      );
      expect(events.map((e) => [e.partner_id, e.type])).toEqual([[owner.id, "points.adjusted"]]);
      expect(JSON.parse(events[0]?.payload ?? "{}").data).toEqual(credited);
      await expectLedgerInvariants(gw.rows);
    });

    it("debits a member back to the issuance account, with negative points, in its history and on its own", async () => {
      const { programId, owner, externalId, memberId, earn, adjust, reverse } = await adjustable();
      await earn(externalId, 500);
      const debited = expectBody(await adjust({ points: -200, reason: "Duplicate earn" }), op.adjustPoints, 201);
      expect(debited).toMatchObject({ type: "adjustment", points: -200, balance_after: 300, reason: "Duplicate earn" });
      expect(
        await gw.rows(
          "select account_id, amount from ledger_entries where transaction_id = ? order by amount",
          debited.id,
        ),
      ).toEqual([
        { account_id: memberId, amount: -200 },
        { account_id: `${programId}:issuance`, amount: 200 },
      ]);
      const fetched = expectBody(
        await gw.call("GET", `/v1/transactions/${debited.id}`, { as: owner }),
        op.getTransaction,
        200,
      );
      expect(fetched).toEqual(debited);
      const history = expectBody(
        await gw.call("GET", `/v1/programs/${programId}/members/${externalId}/transactions`, { as: owner }),
        op.listMemberTransactions,
        200,
      );
      expect(history.data.map((t) => [t.type, t.points, t.reason])).toEqual([
        ["adjustment", -200, "Duplicate earn"],
        ["earn", 500, null],
      ]);
      expect(history.data[0]).toEqual(debited);
      // Never reversed: a correcting adjustment undoes one.
      const reversal = expectProblem(await reverse(debited.id), 409, "conflict");
      expect(reversal.detail).toMatch(/correcting adjustment/);
      const corrected = expectBody(await adjust({ points: 200, reason: "Undo the debit" }), op.adjustPoints, 201);
      expect(corrected.balance_after).toBe(500);
      await expectLedgerInvariants(gw.rows);
    });

    it("refuses a debit below zero with 409 insufficient_points and writes nothing", async () => {
      const { externalId, earn, adjust, balance } = await adjustable();
      await earn(externalId, 100);
      const before = await counts();
      const problem = expectProblem(await adjust({ points: -101, reason: "too much" }), 409, "insufficient_points");
      expect(problem.detail).toBeTruthy();
      expect(await counts()).toEqual(before);
      expect((await balance(externalId)).available).toBe(100);
      expectBody(await adjust({ points: -100, reason: "exactly all" }), op.adjustPoints, 201);
      expect((await balance(externalId)).available).toBe(0);
    });

    it("replays a retried adjustment and refuses its key with another body (422)", async () => {
      const { memberId, adjust } = await adjustable();
      const key = newKey();
      const first = await adjust({ points: 40, reason: "Sorry" }, { key });
      const again = await adjust({ points: 40, reason: "Sorry" }, { key });
      expect(again.status).toBe(201);
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.text).toBe(first.text);
      const before = await counts();
      expectProblem(await adjust({ points: 41, reason: "Sorry" }, { key }), 422, "idempotency_key_reused");
      expect(await counts()).toEqual(before);
      expect(
        await gw.rows(
          "select count(*) as n from ledger_transactions where member_id = ? and type = 'adjustment'",
          memberId,
        ),
      ).toEqual([{ n: 1 }]);
    });

    it("answers 400 naming the field to a bad adjustment, and writes nothing", async () => {
      const { adjust, programId, externalId, owner } = await adjustable();
      const before = await counts();
      const cases: [Record<string, unknown>, string][] = [
        [{ points: 10 }, "reason"],
        [{ points: 10, reason: "   " }, "reason"],
        [{ points: 10, reason: "x".repeat(501) }, "reason"],
        [{ points: 0, reason: "zero" }, "points"],
        [{ points: 1.5, reason: "half" }, "points"],
        [{ points: -1_000_000_001, reason: "huge" }, "points"],
        [{ points: "10", reason: "text" }, "points"],
        [{ reason: "no points" }, "points"],
        [{ points: 10, reason: "extra", reference: "r" }, ""],
      ];
      for (const [body, path] of cases) {
        const problem = expectProblem(await adjust(body), 400, "validation_failed", JSON.stringify(body));
        if (path)
          expect(
            problem.errors?.map((e) => e.path),
            JSON.stringify(body),
          ).toContain(path);
      }
      const keyless = await gw.call("POST", "/v1/transactions/adjustments", {
        as: owner,
        body: { program_id: programId, external_id: externalId, points: 10, reason: "no key" },
      });
      expect(expectProblem(keyless, 400, "validation_failed").errors?.map((e) => e.path)).toEqual(["Idempotency-Key"]);
      expect(await counts()).toEqual(before);
    });

    it("lets only the owner and the operator adjust: 404 to another partner, 403 to a partner with an agreement", async () => {
      const { programId, owner, externalId, adjust } = await adjustable();
      const stranger = await onboardPartner(gw);
      const earner = await onboardPartner(gw);
      await addAgreement(gw, programId, earner.id);
      const elsewhere = await adjustable();
      const before = await counts();
      const foreign = expectProblem(await adjust({ points: 10, reason: "x" }, { as: stranger }), 404, "not_found");
      expect(foreign.detail).not.toContain(owner.id);
      expectProblem(await adjust({ points: 10, reason: "x" }, { as: earner }), 403, "forbidden");
      // Another partner's own program and member do not make the owner's member reachable either.
      expectProblem(
        await elsewhere.adjust({ points: 10, reason: "x", program_id: programId }, { as: elsewhere.owner }),
        404,
        "not_found",
      );
      expectProblem(await adjust({ points: 10, reason: "x", external_id: unique("nobody") }), 404, "not_found");
      // Without the scope: 403 naming it.
      const narrowed = await gw.token(owner, "points:earn points:burn members:read");
      const scoped = await gw.call("POST", "/v1/transactions/adjustments", {
        token: narrowed,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: programId, external_id: externalId, points: 10, reason: "x" },
      });
      expect(expectProblem(scoped, 403, "forbidden").detail).toContain("programs:manage");
      expect(await counts()).toEqual(before);
      // The operator may, on the owner's behalf: the owner's issuance moves, the operator is the actor.
      const byOperator = expectBody(
        await adjust({ points: 5, reason: "Support ticket 77" }, { as: gw.operator }),
        op.adjustPoints,
        201,
      );
      expect(byOperator).toMatchObject({ partner_id: owner.id, actor: gw.operator.clientId, points: 5 });
    });

    it("expires a credit with the program's points, and a debit consumes the oldest points first", async () => {
      const { externalId, earn, adjust, balance } = await adjustable({ points_expire_after_days: 1 });
      const start = gw.clock.now().getTime();
      await earn(externalId, 100);
      const debit = expectBody(await adjust({ points: -100, reason: "Wrong earn" }), op.adjustPoints, 201);
      expect(debit.expires_at).toBeNull();
      gw.clock.advance(DAY / 2);
      const credit = expectBody(await adjust({ points: 50, reason: "Goodwill" }), op.adjustPoints, 201);
      expect(credit.expires_at).toBe(new Date(start + DAY / 2 + DAY).toISOString());
      expect((await balance(externalId)).expiring).toEqual([{ points: 50, expires_at: credit.expires_at }]);
      gw.clock.advance(2 * DAY);
      await gw.runJobs();
      // The debit took the earn's 100, so only the credit's 50 expire, and the balance ends at zero, not below.
      expect((await balance(externalId)).available).toBe(0);
      expect(
        await gw.rows<{ points: number }>(
          "select points from ledger_transactions where member_id = ? and type = 'expiry'",
          debit.member_id,
        ),
      ).toEqual([{ points: 50 }]);
      await expectLedgerInvariants(gw.rows);
    });
  });

  describe("the channel and store of earns and burns", () => {
    it("keeps channel and store_id on the transaction and answers them (null when absent)", async () => {
      const { programId, owner, enrol, earn } = await setupProgram(gw);
      const { externalId } = await enrol();
      const earned = expectBody(
        await gw.call("POST", "/v1/transactions/earn", {
          as: owner,
          headers: { "Idempotency-Key": newKey() },
          body: {
            program_id: programId,
            external_id: externalId,
            points: 300,
            reference: unique("order"),
            channel: "store",
            store_id: "lisbon-042",
          },
        }),
        op.earnPoints,
        201,
      );
      expect(earned).toMatchObject({ channel: "store", store_id: "lisbon-042", reason: null, actor: null });
      const burned = expectBody(
        await gw.call("POST", "/v1/transactions/burn", {
          as: owner,
          headers: { "Idempotency-Key": newKey() },
          body: { program_id: programId, external_id: externalId, points: 100, reference: unique("r"), channel: "app" },
        }),
        op.burnPoints,
        201,
      );
      expect(burned).toMatchObject({ channel: "app", store_id: null });
      const plain = await earn(externalId, 10);
      expect(plain).toMatchObject({ channel: null, store_id: null });
      expect(
        await gw.rows(
          "select channel, store_id from ledger_transactions where id in (?, ?, ?) order by id",
          earned.id,
          burned.id,
          plain.id,
        ),
      ).toEqual([
        { channel: "store", store_id: "lisbon-042" },
        { channel: "app", store_id: null },
        { channel: null, store_id: null },
      ]);
      const { bonus_points, bonuses, ...earnedTransaction } = earned;
      expect([bonus_points, bonuses]).toEqual([0, []]);
      expect(
        expectBody(await gw.call("GET", `/v1/transactions/${earned.id}`, { as: owner }), op.getTransaction, 200),
      ).toEqual(earnedTransaction);
    });

    it("answers 400 to a channel it does not know and to a bad store_id, and writes nothing", async () => {
      const { programId, owner, enrol, earn } = await setupProgram(gw);
      const { externalId } = await enrol();
      await earn(externalId, 100);
      const before = await counts();
      const cases: [string, Record<string, unknown>, string][] = [
        ["earn", { points: 10, channel: "fax" }, "channel"],
        ["burn", { points: 10, channel: "STORE" }, "channel"],
        ["earn", { points: 10, channel: null }, "channel"],
        ["earn", { points: 10, store_id: "" }, "store_id"],
        ["burn", { points: 10, store_id: "s".repeat(65) }, "store_id"],
        ["earn", { points: 10, store_id: 42 }, "store_id"],
      ];
      for (const [kind, extra, path] of cases) {
        const answer = await gw.call("POST", `/v1/transactions/${kind}`, {
          as: owner,
          headers: { "Idempotency-Key": newKey() },
          body: { program_id: programId, external_id: externalId, reference: unique("r"), ...extra },
        });
        const problem = expectProblem(answer, 400, "validation_failed", `${kind} ${JSON.stringify(extra)}`);
        expect(problem.errors?.map((e) => e.path)).toContain(path);
      }
      expect(await counts()).toEqual(before);
    });
  });
}
