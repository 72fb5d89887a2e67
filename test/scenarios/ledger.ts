import { describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner, rowCounts, setupProgram, unique } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem, tally } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";

/**
 * Members, earn, burn, idempotency, reversals and tenancy, checked through the API and straight in the
 * database the gateway wrote (libSQL on Node, D1 in workerd).
 */
export function ledgerScenarios(target: Target) {
  const gw = connect(target);
  type Table = "ledger_transactions" | "ledger_entries" | "events" | "idempotency_keys" | "accounts" | "members";
  const tables: Table[] = [
    "ledger_transactions",
    "ledger_entries",
    "events",
    "idempotency_keys",
    "accounts",
    "members",
  ];
  /** How many rows each table holds: equal before and after, nothing was written. */
  const counts = () => rowCounts(gw, tables);
  /** The available balance of a member account, as the database holds it. */
  const accountBalance = async (memberId: string) =>
    (await gw.rows<{ balance: number }>("select balance from accounts where id = ?", memberId))[0]?.balance;

  describe("members, earn and burn", () => {
    it("enrols a member: the member row, both accounts at zero and the enrolment event", async () => {
      const { programId, owner, member } = await setupProgram(gw);
      const externalId = unique("SK");
      const answer = await gw.call("POST", `/v1/programs/${programId}/members`, {
        as: owner,
        body: { external_id: externalId, email: "ana@example.com", name: "Ana", locale: "pt-BR" },
      });
      const enrolled = expectBody(answer, op.enrolMember, 201);
      expect(enrolled).toMatchObject({
        external_id: externalId,
        program_id: programId,
        email: "ana@example.com",
        name: "Ana",
        locale: "pt-BR",
        balance: { available: 0, pending: 0, lifetime_earned: 0, expiring: [] },
      });
      const id = enrolled.id;
      expect(id).toMatch(/^mem_/);
      expect(expectBody(await member(externalId), op.getMember, 200)).toEqual(enrolled);
      expect(await gw.rows("select id, kind, balance from accounts where member_id = ? order by id", id)).toEqual([
        { id, kind: "member", balance: 0 },
        { id: `${id}:hold`, kind: "member_hold", balance: 0 },
      ]);
      const events = await gw.rows<{ partner_id: string; type: string; payload: string }>(
        "select partner_id, type, payload from events where json_extract(payload, '$.data.id') = ?",
        id,
      );
      expect(events.map((event) => [event.partner_id, event.type])).toEqual([[owner.id, "member.enrolled"]]);
      expect(JSON.parse(events[0]?.payload ?? "{}").data).toEqual(enrolled);

      const again = await gw.call("POST", `/v1/programs/${programId}/members`, {
        as: owner,
        body: { external_id: externalId },
      });
      expectProblem(again, 409, "conflict");
      expect(
        await gw.rows("select id from members where program_id = ? and external_id = ?", programId, externalId),
      ).toEqual([{ id }]);
    });

    it("earns points and a purchase, burns, with balance_after and the member's balance following", async () => {
      const { programId, owner, enrol, move, burn, balance } = await setupProgram(gw);
      const { externalId, id: memberId } = await enrol();

      const answer = await move("earn", externalId, 1500);
      const earned = expectBody(answer, op.earnPoints, 201);
      expect(answer.headers.get("Idempotent-Replayed")).toBeNull();
      expect(earned).toMatchObject({
        type: "earn",
        program_id: programId,
        member_id: memberId,
        external_id: externalId,
        partner_id: owner.id,
        points: 1500,
        reversed_points: 0,
        balance_after: 1500,
        original_transaction_id: null,
        purchase: null,
      });
      expect(earned.id).toMatch(/^txn_/);

      const bought = await gw.call("POST", "/v1/transactions/earn", {
        as: owner,
        headers: { "Idempotency-Key": newKey() },
        body: {
          program_id: programId,
          external_id: externalId,
          purchase: { amount_minor: 12_399, currency: "USD" },
          reference: unique("order"),
        },
      });
      const purchase = expectBody(bought, op.earnPoints, 201);
      // 1 point per 100 minor units by default, rounded down.
      expect(purchase).toMatchObject({
        type: "earn",
        points: 123,
        balance_after: 1623,
        purchase: { amount_minor: 12_399, currency: "USD" },
      });

      const burned = await burn(externalId, 400);
      expect(burned).toMatchObject({ type: "burn", points: 400, balance_after: 1223, partner_id: owner.id });
      expect(await balance(externalId)).toEqual({ available: 1223, pending: 0, lifetime_earned: 1623, expiring: [] });

      // The transaction as read back equals the response of the write, balance_after included.
      // A transaction read back is the write's answer without the bonuses an earn lists beside it (none here).
      const withoutBonuses = ({ bonus_points, bonuses, ...transaction }: Record<string, unknown>) => transaction;
      expect([earned, purchase].map((written) => [written.bonus_points, written.bonuses])).toEqual([
        [0, []],
        [0, []],
      ]);
      for (const written of [withoutBonuses(earned), withoutBonuses(purchase), burned]) {
        const fetched = await gw.call("GET", `/v1/transactions/${written.id}`, { as: owner });
        expect(expectBody(fetched, op.getTransaction, 200)).toEqual(written);
      }

      // What the database holds: three journal rows with their balance_after, balanced legs, the account.
      expect(
        await gw.rows(
          "select id, type, points, balance_after from ledger_transactions where member_id = ? order by id",
          memberId,
        ),
      ).toEqual([
        { id: earned.id, type: "earn", points: 1500, balance_after: 1500 },
        { id: purchase.id, type: "earn", points: 123, balance_after: 1623 },
        { id: burned.id, type: "burn", points: 400, balance_after: 1223 },
      ]);
      expect(
        await gw.rows(
          `select e.transaction_id, e.account_id, e.amount from ledger_entries e
           join ledger_transactions t on t.id = e.transaction_id where t.member_id = ? order by e.id`,
          memberId,
        ),
      ).toEqual([
        { transaction_id: earned.id, account_id: `${programId}:issuance`, amount: -1500 },
        { transaction_id: earned.id, account_id: memberId, amount: 1500 },
        { transaction_id: purchase.id, account_id: `${programId}:issuance`, amount: -123 },
        { transaction_id: purchase.id, account_id: memberId, amount: 123 },
        { transaction_id: burned.id, account_id: memberId, amount: -400 },
        { transaction_id: burned.id, account_id: `${programId}:redeemed:${owner.id}`, amount: 400 },
      ]);
      expect(await accountBalance(memberId)).toBe(1223);
      expect(await gw.rows("select lifetime_earned from members where id = ?", memberId)).toEqual([
        { lifetime_earned: 1623 },
      ]);
    });

    it("refuses a purchase worth less than a point or in another currency than the program's", async () => {
      const { owner, programId, enrol, balance } = await setupProgram(gw);
      const { externalId } = await enrol();
      const earnFor = (amount_minor: number, currency: string) =>
        gw.call("POST", "/v1/transactions/earn", {
          as: owner,
          headers: { "Idempotency-Key": newKey() },
          body: {
            program_id: programId,
            external_id: externalId,
            purchase: { amount_minor, currency },
            reference: "o-1",
          },
        });
      expectProblem(await earnFor(99, "USD"), 400, "validation_failed");
      const wrongCurrency = expectProblem(await earnFor(10_000, "EUR"), 400, "validation_failed");
      expect(wrongCurrency.errors?.[0]?.path).toBe("purchase.currency");
      expect((await balance(externalId)).available).toBe(0);
    });

    it("fills balance_after into the outbox event and the stored response inside the atomic write", async () => {
      const { enrol, move, earn } = await setupProgram(gw);
      const { externalId } = await enrol();
      await earn(externalId, 70);
      const key = newKey();
      const answer = await move("burn", externalId, 30, { key });
      const burned = expectBody(answer, op.burnPoints, 201);
      expect(burned.balance_after).toBe(40);

      const events = await gw.rows<{ type: string; payload: string; kind: string }>(
        `select type, payload, json_type(payload, '$.data.balance_after') as kind from events
         where json_extract(payload, '$.data.id') = ?`,
        burned.id,
      );
      expect(events).toHaveLength(1);
      expect(events[0]?.type).toBe("points.burned");
      // An integer, not the text "40" and not the template's 0.
      expect(events[0]?.kind).toBe("integer");
      const payload = JSON.parse(events[0]?.payload ?? "{}");
      expect(payload).toMatchObject({ type: "points.burned", data: burned });
      expect(Date.parse(payload.timestamp)).toBe(Date.parse(burned.created_at));

      expect(await gw.rows("select status_code, response_body from idempotency_keys where key = ?", key)).toEqual([
        { status_code: 201, response_body: answer.text },
      ]);
    });

    it("dates earns in a program whose points expire, and lists what is left oldest first", async () => {
      const { enrol, earn, burn, balance } = await setupProgram(gw, { points_expire_after_days: 365 });
      const { externalId, id: memberId } = await enrol();
      const first = await earn(externalId, 100);
      const second = await earn(externalId, 50);
      const expiresAt = Date.parse(first.expires_at ?? "");
      expect(expiresAt - Date.parse(first.created_at)).toBe(365 * 86_400_000);
      expect(await gw.rows("select expires_at from ledger_transactions where id = ?", first.id)).toEqual([
        { expires_at: expiresAt },
      ]);
      expect((await burn(externalId, 130)).balance_after).toBe(20);
      // The burn used the oldest lot first: 20 of the second earn are left.
      expect(await balance(externalId)).toEqual({
        available: 20,
        pending: 0,
        lifetime_earned: 150,
        expiring: [{ points: 20, expires_at: second.expires_at }],
      });
      expect(await accountBalance(memberId)).toBe(20);
    });

    it("refuses an overdraft with 409 insufficient_points and writes nothing", async () => {
      const { enrol, move, earn, burn, balance } = await setupProgram(gw);
      const { externalId, id: memberId } = await enrol();
      await earn(externalId, 100);
      const before = await counts();
      const key = newKey();

      const refused = await move("burn", externalId, 101, { key });
      expectProblem(refused, 409, "insufficient_points");
      expect(refused.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);

      expect(await counts()).toEqual(before);
      expect(await gw.rows("select key from idempotency_keys where key = ?", key)).toEqual([]);
      expect(await accountBalance(memberId)).toBe(100);
      expect(await gw.rows("select count(*) as n from ledger_transactions where member_id = ?", memberId)).toEqual([
        { n: 1 },
      ]);
      expect((await balance(externalId)).available).toBe(100);

      // Exactly the whole balance is still allowed.
      expect((await burn(externalId, 100)).balance_after).toBe(0);
      expectProblem(await move("burn", externalId, 1), 409, "insufficient_points");
    });

    it("refuses hostile amounts and bodies with 400 naming a field, and changes nothing", async () => {
      const { owner, programId, enrol, balance } = await setupProgram(gw);
      const { externalId } = await enrol();
      const before = await counts();
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
        const answer = await gw.call("POST", "/v1/transactions/earn", {
          as: owner,
          headers: { "Idempotency-Key": newKey() },
          body: { program_id: programId, external_id: externalId, reference: "r", ...extra },
        });
        const problem = expectProblem(answer, 400, "validation_failed");
        expect(problem.errors?.length, JSON.stringify(extra)).toBeGreaterThan(0);
      }
      const withoutReference = await gw.call("POST", "/v1/transactions/burn", {
        as: owner,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: programId, external_id: externalId, points: 1 },
      });
      expect(expectProblem(withoutReference, 400, "validation_failed").errors?.[0]?.path).toBe("reference");
      expect(await counts()).toEqual(before);
      expect((await balance(externalId)).available).toBe(0);
    });

    it("requires an Idempotency-Key on money-moving POSTs", async () => {
      const { owner, programId, enrol } = await setupProgram(gw);
      const { externalId } = await enrol();
      const answer = await gw.call("POST", "/v1/transactions/earn", {
        as: owner,
        body: { program_id: programId, external_id: externalId, points: 5, reference: "r" },
      });
      expect(expectProblem(answer, 400, "validation_failed").errors?.[0]?.path).toBe("Idempotency-Key");
    });

    it("lets a partner earn or burn only where its agreement allows, and only with the scope", async () => {
      const { programId, enrol, move } = await setupProgram(gw);
      const { externalId } = await enrol();
      const guest = await onboardPartner(gw);
      expectProblem(await move("earn", externalId, 5, { as: guest }), 404, "not_found");
      await addAgreement(gw, programId, guest.id, { can_burn: false, issue_price_micros: 13_000 });
      expectBody(await move("earn", externalId, 5, { as: guest }), op.earnPoints, 201);
      expectProblem(await move("burn", externalId, 1, { as: guest }), 403, "forbidden");
      const readOnly = await gw.token(guest, "members:read");
      const noScope = await gw.call("POST", "/v1/transactions/earn", {
        token: readOnly,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: programId, external_id: externalId, points: 5, reference: "r" },
      });
      expect(expectProblem(noScope, 403, "forbidden").detail).toContain("points:earn");
    });
  });

  describe("concurrency", () => {
    it("lets exactly 20 of 50 parallel burns of 10 through on 200 points, never below zero", async () => {
      const { enrol, move, earn, balance } = await setupProgram(gw);
      const { externalId, id: memberId } = await enrol();
      await earn(externalId, 200);

      const answers = await Promise.all(Array.from({ length: 50 }, () => move("burn", externalId, 10)));
      expect(tally(answers)).toEqual({ "201": 20, "409 insufficient_points": 30 });

      // Each successful burn saw a distinct balance: the 20 writes were serialised, none lost or doubled.
      const after = answers
        .filter((answer) => answer.status === 201)
        .map((answer) => expectBody(answer, op.burnPoints, 201).balance_after)
        .sort((a, b) => a - b);
      expect(after).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));

      expect((await balance(externalId)).available).toBe(0);
      expect(await accountBalance(memberId)).toBe(0);
      expect(
        await gw.rows(
          `select count(*) as n, sum(points) as points, min(balance_after) as lowest from ledger_transactions
           where member_id = ? and type = 'burn'`,
          memberId,
        ),
      ).toEqual([{ n: 20, points: 200, lowest: 0 }]);
      expect(
        await gw.rows(
          "select count(*) as n from events where type = 'points.burned' and json_extract(payload, '$.data.member_id') = ?",
          memberId,
        ),
      ).toEqual([{ n: 20 }]);
    });

    it("keeps the balance exact under parallel earns and burns mixed", async () => {
      const { enrol, move, earn, balance } = await setupProgram(gw);
      const { externalId, id: memberId } = await enrol();
      await earn(externalId, 100);

      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          i % 2 === 0 ? move("earn", externalId, 5) : move("burn", externalId, 10),
        ),
      );
      const earns = answers.filter((_, i) => i % 2 === 0);
      const burns = answers.filter((_, i) => i % 2 === 1);
      for (const answer of earns) expectBody(answer, op.earnPoints, 201);
      for (const answer of burns) if (answer.status !== 201) expectProblem(answer, 409, "insufficient_points");
      const burned = burns.filter((answer) => answer.status === 201).length;
      // 100 + 150 earned is enough for at least 10 burns whatever the order, and at most 25.
      expect(burned).toBeGreaterThanOrEqual(10);
      expect(burned).toBeLessThanOrEqual(25);

      const expected = 100 + 30 * 5 - burned * 10;
      expect((await balance(externalId)).available).toBe(expected);
      expect(await accountBalance(memberId)).toBe(expected);
      // The balances the writes reported are a serial history: in commit (rowid) order each follows the last.
      const history = await gw.rows<{ type: string; points: number; balance_after: number }>(
        "select type, points, balance_after from ledger_transactions where member_id = ? order by rowid",
        memberId,
      );
      let running = 0;
      for (const row of history) {
        running += row.type === "earn" ? row.points : -row.points;
        expect(row.balance_after).toBe(running);
      }
      expect(running).toBe(expected);
    });
  });

  describe("idempotency", () => {
    it("replays the same key and body byte for byte with Idempotent-Replayed, with one effect", async () => {
      const { enrol, move, balance } = await setupProgram(gw);
      const { externalId, id: memberId } = await enrol();
      const key = newKey();
      const reference = unique("earn");
      const first = await move("earn", externalId, 250, { key, reference });
      expectBody(first, op.earnPoints, 201);
      expect(first.headers.get("Idempotent-Replayed")).toBeNull();
      const before = await counts();

      const second = await move("earn", externalId, 250, { key, reference });
      expect(second.status).toBe(first.status);
      expect(second.text).toBe(first.text);
      expect(second.headers.get("Idempotent-Replayed")).toBe("true");
      expect(second.headers.get("content-type")).toMatch(/^application\/json/);
      expect(second.headers.get("Request-Id")).toMatch(/^req_/);
      expect(second.headers.get("Request-Id")).not.toBe(first.headers.get("Request-Id"));

      expect(await counts()).toEqual(before);
      expect((await balance(externalId)).available).toBe(250);
      expect(await gw.rows("select count(*) as n from ledger_transactions where member_id = ?", memberId)).toEqual([
        { n: 1 },
      ]);
    });

    it("replays an enrolment with the same key instead of answering 409", async () => {
      const { programId, owner } = await setupProgram(gw);
      const key = newKey();
      const externalId = unique("M");
      const enrol = () =>
        gw.call("POST", `/v1/programs/${programId}/members`, {
          as: owner,
          headers: { "Idempotency-Key": key },
          body: { external_id: externalId },
        });
      const first = await enrol();
      expectBody(first, op.enrolMember, 201);
      const second = await enrol();
      expect(second.status).toBe(201);
      expect(second.text).toBe(first.text);
      expect(second.headers.get("Idempotent-Replayed")).toBe("true");
      expect(await gw.rows("select count(*) as n from members where program_id = ?", programId)).toEqual([{ n: 1 }]);
    });

    it("answers 422 idempotency_key_reused for the same key with another body, and writes nothing", async () => {
      const { enrol, move, balance } = await setupProgram(gw);
      const { externalId } = await enrol();
      const key = newKey();
      const reference = unique("earn");
      const first = await move("earn", externalId, 250, { key, reference });
      expectBody(first, op.earnPoints, 201);
      const before = await counts();

      for (const reused of [
        await move("earn", externalId, 999, { key, reference }),
        await move("earn", externalId, 250, { key, reference: unique("other") }),
        await move("burn", externalId, 250, { key, reference }),
      ]) {
        expectProblem(reused, 422, "idempotency_key_reused");
        expect(reused.headers.get("Idempotent-Replayed")).toBeNull();
      }
      expect(await counts()).toEqual(before);
      expect((await balance(externalId)).available).toBe(250);
      expect(await gw.rows("select response_body from idempotency_keys where key = ?", key)).toEqual([
        { response_body: first.text },
      ]);
    });

    it("has exactly one effect for 20 parallel requests with one key", async () => {
      const { enrol, move, balance } = await setupProgram(gw);
      const { externalId, id: memberId } = await enrol();
      const key = newKey();
      const reference = unique("earn");

      const answers = await Promise.all(
        Array.from({ length: 20 }, () => move("earn", externalId, 75, { key, reference })),
      );
      const fresh = answers.filter((a) => a.status === 201 && a.headers.get("Idempotent-Replayed") === null);
      expect(fresh).toHaveLength(1);
      const [winner] = fresh;
      if (!winner) return;
      for (const answer of answers) {
        if (answer === winner) continue;
        // Either the stored first response again, or "still running" while the winner writes.
        if (answer.status === 201) {
          expect(answer.headers.get("Idempotent-Replayed")).toBe("true");
          expect(answer.text).toBe(winner.text);
        } else {
          expectProblem(answer, 409, "idempotency_in_flight");
          expect(answer.headers.get("Retry-After")).toBe("1");
        }
      }

      const { id } = expectBody(winner, op.earnPoints, 201);
      expect((await balance(externalId)).available).toBe(75);
      expect(await gw.rows("select id from ledger_transactions where member_id = ?", memberId)).toEqual([{ id }]);
      expect(await gw.rows("select count(*) as n from idempotency_keys where key = ?", key)).toEqual([{ n: 1 }]);
      expect(
        await gw.rows("select count(*) as n from events where json_extract(payload, '$.data.id') = ?", id),
      ).toEqual([{ n: 1 }]);
      // A retry after the storm replays the winner.
      const retry = await move("earn", externalId, 75, { key, reference });
      expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
      expect(retry.text).toBe(winner.text);
    });

    it("does not store a refused request: the same key succeeds after topping up", async () => {
      const { enrol, move, earn, balance } = await setupProgram(gw);
      const { externalId } = await enrol();
      const key = newKey();
      const reference = unique("burn");
      expectProblem(await move("burn", externalId, 50, { key, reference }), 409, "insufficient_points");
      expect(await gw.rows("select key from idempotency_keys where key = ?", key)).toEqual([]);
      await earn(externalId, 50);
      const retried = await move("burn", externalId, 50, { key, reference });
      expectBody(retried, op.burnPoints, 201);
      expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
      expect((await balance(externalId)).available).toBe(0);
    });

    it("scopes keys per partner", async () => {
      const { programId, owner, enrol, move, balance } = await setupProgram(gw);
      const { externalId } = await enrol();
      const guest = await onboardPartner(gw);
      await addAgreement(gw, programId, guest.id);
      const key = newKey();
      const reference = unique("earn");
      expectBody(await move("earn", externalId, 10, { key, reference, as: owner }), op.earnPoints, 201);
      const guestAnswer = await move("earn", externalId, 10, { key, reference, as: guest });
      expect(expectBody(guestAnswer, op.earnPoints, 201).partner_id).toBe(guest.id);
      expect(guestAnswer.headers.get("Idempotent-Replayed")).toBeNull();
      expect((await balance(externalId)).available).toBe(20);
    });
  });

  describe("reversals", () => {
    it("reverses part of an earn, then the rest, never beyond", async () => {
      const { owner, enrol, earn, reverse, balance } = await setupProgram(gw);
      const { externalId, id: memberId } = await enrol();
      const earned = await earn(externalId, 1000);

      const partial = expectBody(
        await reverse(earned.id, { points: 300, reason: "order partly cancelled" }),
        op.reverseTransaction,
        201,
      );
      expect(partial).toMatchObject({
        type: "reversal",
        points: 300,
        balance_after: 700,
        original_transaction_id: earned.id,
        description: "order partly cancelled",
        reference: earned.reference,
      });
      const before = await counts();
      expectProblem(await reverse(earned.id, { points: 701 }), 409, "conflict");
      expect(await counts()).toEqual(before);

      const rest = expectBody(await reverse(earned.id), op.reverseTransaction, 201);
      expect(rest).toMatchObject({ type: "reversal", points: 700, balance_after: 0 });
      expectProblem(await reverse(earned.id), 409, "conflict");

      expect(await balance(externalId)).toMatchObject({ available: 0, lifetime_earned: 0 });
      expect(await gw.rows("select reversed_points from ledger_transactions where id = ?", earned.id)).toEqual([
        { reversed_points: 1000 },
      ]);
      expect(await accountBalance(memberId)).toBe(0);
      const original = await gw.call("GET", `/v1/transactions/${earned.id}`, { as: owner });
      expect(expectBody(original, op.getTransaction, 200).reversed_points).toBe(1000);
      // A reversal is not itself reversible.
      expectProblem(await reverse(rest.id), 409, "conflict");
    });

    it("refuses to reverse an earn whose points are spent (insufficient_points), and re-credits a reversed burn", async () => {
      const { enrol, earn, burn, reverse, balance } = await setupProgram(gw);
      const { externalId, id: memberId } = await enrol();
      const earned = await earn(externalId, 500);
      const burned = await burn(externalId, 400);
      expect(burned.balance_after).toBe(100);
      const before = await counts();

      expectProblem(await reverse(earned.id), 409, "insufficient_points");
      expect(await counts()).toEqual(before);
      // The guarded reversed_points counter in the same write rolled back with it.
      expect(await gw.rows("select reversed_points from ledger_transactions where id = ?", earned.id)).toEqual([
        { reversed_points: 0 },
      ]);

      const reversedBurn = expectBody(await reverse(burned.id, { points: 150 }), op.reverseTransaction, 201);
      expect(reversedBurn).toMatchObject({ type: "reversal", points: 150, balance_after: 250 });
      expect((await balance(externalId)).available).toBe(250);
      expect(await accountBalance(memberId)).toBe(250);
      expect(
        await gw.rows(
          "select account_id, amount from ledger_entries where transaction_id = ? order by id",
          reversedBurn.id,
        ),
      ).toEqual([
        { account_id: memberId, amount: 150 },
        { account_id: `${burned.program_id}:redeemed:${burned.partner_id}`, amount: -150 },
      ]);
      // With the burn partly reversed there are again enough points for part of the earn.
      const partEarn = expectBody(await reverse(earned.id, { points: 250 }), op.reverseTransaction, 201);
      expect(partEarn.balance_after).toBe(0);
    });

    it("keeps parallel partial reversals of an earn within the original (the reversed_points CHECK)", async () => {
      const { enrol, earn, reverse, balance } = await setupProgram(gw);
      const { externalId } = await enrol();
      const earned = await earn(externalId, 100);
      // Enough other points that the member account never limits: only the original's CHECK can refuse.
      await earn(externalId, 1000);
      // All of them read reversed_points = 0 before the first write, so the database must refuse all but two.
      const answers = await Promise.all(Array.from({ length: 10 }, () => reverse(earned.id, { points: 40 })));
      expect(tally(answers)).toEqual({ "201": 2, "409 conflict": 8 });
      for (const answer of answers) expect(answer.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);
      expect(await gw.rows("select reversed_points from ledger_transactions where id = ?", earned.id)).toEqual([
        { reversed_points: 80 },
      ]);
      expect(
        await gw.rows("select count(*) as n from ledger_transactions where original_transaction_id = ?", earned.id),
      ).toEqual([{ n: 2 }]);
      expect(await balance(externalId)).toMatchObject({ available: 1020, lifetime_earned: 1020 });
    });

    it("keeps parallel partial reversals of a burn within the original, re-crediting exactly", async () => {
      const { enrol, earn, burn, reverse, balance } = await setupProgram(gw);
      const { externalId } = await enrol();
      await earn(externalId, 500);
      const burned = await burn(externalId, 100);
      const answers = await Promise.all(Array.from({ length: 10 }, () => reverse(burned.id, { points: 30 })));
      expect(tally(answers)).toEqual({ "201": 3, "409 conflict": 7 });
      expect(
        answers
          .filter((answer) => answer.status === 201)
          .map((answer) => expectBody(answer, op.reverseTransaction, 201).balance_after)
          .sort(),
      ).toEqual([430, 460, 490]);
      expect(await gw.rows("select reversed_points from ledger_transactions where id = ?", burned.id)).toEqual([
        { reversed_points: 90 },
      ]);
      expect((await balance(externalId)).available).toBe(490);
    });
  });

  describe("history", () => {
    it("lists a member's transactions newest first with cursors", async () => {
      const { owner, programId, enrol, earn } = await setupProgram(gw);
      const { externalId } = await enrol();
      const ids: string[] = [];
      for (const points of [10, 20, 30, 40, 50]) ids.push((await earn(externalId, points)).id);
      const path = `/v1/programs/${programId}/members/${externalId}/transactions`;
      const first = expectBody(await gw.call("GET", `${path}?limit=3`, { as: owner }), op.listMemberTransactions, 200);
      expect(first.data.map((t) => t.id)).toEqual([ids[4], ids[3], ids[2]]);
      expect(first.has_more).toBe(true);
      const second = expectBody(
        await gw.call("GET", `${path}?limit=3&starting_after=${ids[2]}`, { as: owner }),
        op.listMemberTransactions,
        200,
      );
      expect(second.data.map((t) => t.id)).toEqual([ids[1], ids[0]]);
      expect(second.has_more).toBe(false);
    });
  });

  describe("tenancy", () => {
    it("answers 404 for another partner's program, member and transaction, the same as for none, and writes nothing", async () => {
      const a = await setupProgram(gw);
      const b = await setupProgram(gw);
      const { externalId, id: memberId } = await a.enrol();
      // The same external id is enrolled in B's program too: it is a different member.
      const twin = await b.enrol(externalId);
      expect(twin.id).not.toBe(memberId);
      const earned = await a.earn(externalId, 300);
      const burned = await a.burn(externalId, 100);
      const stranger = b.owner;
      const before = await counts();

      const requests: [string, string, unknown][] = [
        ["GET", `/v1/programs/${a.programId}/members/${externalId}`, undefined],
        ["GET", `/v1/programs/${a.programId}/members/${externalId}/transactions`, undefined],
        ["POST", `/v1/programs/${a.programId}/members`, { external_id: unique("X") }],
        [
          "POST",
          "/v1/transactions/earn",
          { program_id: a.programId, external_id: externalId, points: 5, reference: "r" },
        ],
        [
          "POST",
          "/v1/transactions/burn",
          { program_id: a.programId, external_id: externalId, points: 5, reference: "r" },
        ],
        ["GET", `/v1/transactions/${earned.id}`, undefined],
        ["GET", `/v1/transactions/${burned.id}`, undefined],
        ["POST", `/v1/transactions/${earned.id}/reversals`, undefined],
        ["POST", `/v1/transactions/${burned.id}/reversals`, { points: 1 }],
        ["GET", `/v1/transactions/txn_${crypto.randomUUID().replaceAll("-", "")}`, undefined],
      ];
      for (const [method, path, body] of requests) {
        const answer = await gw.call(method, path, { as: stranger, body, headers: { "Idempotency-Key": newKey() } });
        expectProblem(answer, 404, "not_found", `${method} ${path}`);
        expect(answer.text).not.toContain(memberId);
        expect(answer.text).not.toContain(a.owner.id);
      }
      const other = expectProblem(
        await gw.call("GET", `/v1/transactions/${earned.id}`, { as: stranger }),
        404,
        "not_found",
      );
      const missing = expectProblem(
        await gw.call("GET", "/v1/transactions/txn_nope", { as: stranger }),
        404,
        "not_found",
      );
      expect(other.detail).toMatch(/No transaction/);
      expect(other.detail.replace(earned.id, "ID")).toBe(missing.detail.replace("txn_nope", "ID"));

      expect(await counts()).toEqual(before);
      expect(await accountBalance(memberId)).toBe(200);
      expect(await accountBalance(twin.id)).toBe(0);
      expect((await a.balance(externalId)).available).toBe(200);
    });

    it("lets a guest with an agreement read but not reverse the owner's transactions", async () => {
      const { programId, enrol, earn } = await setupProgram(gw);
      const { externalId } = await enrol();
      const earned = await earn(externalId, 50);
      const guest = await onboardPartner(gw);
      await addAgreement(gw, programId, guest.id);
      const read = await gw.call("GET", `/v1/transactions/${earned.id}`, { as: guest });
      expect(expectBody(read, op.getTransaction, 200).id).toBe(earned.id);
      const before = await counts();
      const reversal = await gw.call("POST", `/v1/transactions/${earned.id}/reversals`, {
        as: guest,
        headers: { "Idempotency-Key": newKey() },
      });
      expectProblem(reversal, 404, "not_found");
      expect(await counts()).toEqual(before);
    });
  });

  describe("the ledger after the workload above", () => {
    it("balances per program and per transaction, folds every balance, and has no negative member account", async () => {
      // The workload above really ran in this database.
      const [workload] = await gw.rows<{ programs: number; transactions: number; entries: number }>(
        `select (select count(distinct program_id) from ledger_entries) as programs,
                (select count(*) from ledger_transactions) as transactions,
                (select count(*) from ledger_entries) as entries`,
      );
      expect(workload?.programs).toBeGreaterThanOrEqual(15);
      expect(workload?.transactions).toBeGreaterThanOrEqual(100);
      expect(workload?.entries).toBe((workload?.transactions ?? 0) * 2);
      await expectLedgerInvariants(gw.rows);
    });
  });
}
