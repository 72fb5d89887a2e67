import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ConstraintViolation, type D1Like, d1Writer } from "../../gateway/src/db/writer";
import { ensureAccount } from "../../gateway/src/domain/ledger/accounts";
import { createWorker } from "../../gateway/src/worker";
import {
  type Answer,
  call,
  d1,
  d1All,
  newKey,
  onboardPartner,
  operator,
  read,
  setupProgram,
  tokenFor,
  unique,
} from "./support";

// The ledger tests of test/api/ledger.test.ts, on the Worker path: every request goes through the Worker's
// fetch handler inside workerd, every write through d1Writer into the local D1 database, and every check of
// what was written reads D1 itself.

let operatorToken: string;
beforeAll(async () => {
  operatorToken = await tokenFor(operator.clientId, operator.secret);
});

type Table = "ledger_transactions" | "ledger_entries" | "events" | "idempotency_keys" | "accounts" | "members";
const count = async (table: Table) =>
  (await d1All<{ n: number }>(`select count(*) as n from ${table}`))[0]?.n ?? Number.NaN;
const counts = async () =>
  Object.fromEntries(
    await Promise.all(
      (["ledger_transactions", "ledger_entries", "events", "idempotency_keys", "accounts", "members"] as const).map(
        async (table) => [table, await count(table)] as const,
      ),
    ),
  );

/** The available balance of a member account, as D1 holds it. */
const accountBalance = async (memberId: string) =>
  (await d1All<{ balance: number }>("select balance from accounts where id = ?", memberId))[0]?.balance;

/** Statuses and codes of a set of answers, tallied: `{ "201": 20, "409 insufficient_points": 30 }`. */
const tally = (answers: Answer[]) => {
  const result: Record<string, number> = {};
  for (const answer of answers) {
    const label =
      answer.status >= 400
        ? `${answer.status} ${answer.body?.code}`
        : `${answer.status}${answer.headers.get("Idempotent-Replayed") === "true" ? " replayed" : ""}`;
    result[label] = (result[label] ?? 0) + 1;
  }
  return result;
};

describe("members, earn and burn on D1", () => {
  it("enrols a member: the member row, both accounts at zero and the enrolment events", async () => {
    const { programId, owner, enrol, member } = await setupProgram(operatorToken);
    const { externalId, id, answer } = await enrol();
    expect(answer.body).toMatchObject({
      external_id: externalId,
      program_id: programId,
      balance: { available: 0, pending: 0, lifetime_earned: 0, expiring: [] },
    });
    expect(id).toMatch(/^mem_/);
    expect((await member(externalId)).body).toEqual(answer.body);
    expect(await d1All("select id, kind, balance from accounts where member_id = ? order by id", id)).toEqual([
      { id, kind: "member", balance: 0 },
      { id: `${id}:hold`, kind: "member_hold", balance: 0 },
    ]);
    const events = await d1All<{ partner_id: string; type: string; payload: string }>(
      "select partner_id, type, payload from events where json_extract(payload, '$.data.id') = ?",
      id,
    );
    expect(events.map((event) => [event.partner_id, event.type])).toEqual([[owner.id, "member.enrolled"]]);
    expect(JSON.parse(events[0]?.payload ?? "{}").data).toEqual(answer.body);

    const again = await enrol(externalId).catch((error: Error) => error.message);
    expect(again).toMatch(/^enrol: 409 .*"code":"conflict"/);
    expect(
      await d1All("select id from members where program_id = ? and external_id = ?", programId, externalId),
    ).toEqual([{ id }]);
  });

  it("earns points and a purchase, burns, with balance_after and the member's balance following", async () => {
    const { programId, owner, enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();

    const earned = await move("earn", externalId, 1500);
    expect(earned.status).toBe(201);
    expect(earned.headers.get("Idempotent-Replayed")).toBeNull();
    expect(earned.body).toMatchObject({
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
    expect(earned.body.id).toMatch(/^txn_/);

    const purchase = await call("POST", "/v1/transactions/earn", {
      token: owner.token,
      headers: { "Idempotency-Key": newKey() },
      body: {
        program_id: programId,
        external_id: externalId,
        purchase: { amount_minor: 12_399, currency: "USD" },
        reference: unique("order"),
      },
    });
    expect(purchase.status).toBe(201);
    // 1 point per 100 minor units by default, rounded down.
    expect(purchase.body).toMatchObject({
      type: "earn",
      points: 123,
      balance_after: 1623,
      purchase: { amount_minor: 12_399, currency: "USD" },
    });

    const burned = await move("burn", externalId, 400);
    expect(burned.status).toBe(201);
    expect(burned.body).toMatchObject({ type: "burn", points: 400, balance_after: 1223, partner_id: owner.id });
    expect(await balance(externalId)).toEqual({ available: 1223, pending: 0, lifetime_earned: 1623, expiring: [] });

    // The transaction as read back equals the response of the write, balance_after included.
    for (const answer of [earned, purchase, burned]) {
      const fetched = await call("GET", `/v1/transactions/${answer.body.id}`, { token: owner.token });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(answer.body);
    }

    // What D1 holds: three journal rows with their balance_after, balanced legs, the member's account.
    expect(
      await d1All(
        "select id, type, points, balance_after from ledger_transactions where member_id = ? order by id",
        memberId,
      ),
    ).toEqual([
      { id: earned.body.id, type: "earn", points: 1500, balance_after: 1500 },
      { id: purchase.body.id, type: "earn", points: 123, balance_after: 1623 },
      { id: burned.body.id, type: "burn", points: 400, balance_after: 1223 },
    ]);
    expect(
      await d1All(
        `select e.transaction_id, e.account_id, e.amount from ledger_entries e
         join ledger_transactions t on t.id = e.transaction_id where t.member_id = ? order by e.id`,
        memberId,
      ),
    ).toEqual([
      { transaction_id: earned.body.id, account_id: `${programId}:issuance`, amount: -1500 },
      { transaction_id: earned.body.id, account_id: memberId, amount: 1500 },
      { transaction_id: purchase.body.id, account_id: `${programId}:issuance`, amount: -123 },
      { transaction_id: purchase.body.id, account_id: memberId, amount: 123 },
      { transaction_id: burned.body.id, account_id: memberId, amount: -400 },
      { transaction_id: burned.body.id, account_id: `${programId}:redeemed:${owner.id}`, amount: 400 },
    ]);
    expect(await accountBalance(memberId)).toBe(1223);
    expect(await d1All("select lifetime_earned from members where id = ?", memberId)).toEqual([
      { lifetime_earned: 1623 },
    ]);
  });

  it("fills balance_after into the outbox event and the stored response inside the D1 write (json_set)", async () => {
    const { enrol, move } = await setupProgram(operatorToken);
    const { externalId } = await enrol();
    await move("earn", externalId, 70);
    const key = newKey();
    const burned = await move("burn", externalId, 30, { key });
    expect(burned.body.balance_after).toBe(40);

    const events = await d1All<{ type: string; payload: string; kind: string }>(
      `select type, payload, json_type(payload, '$.data.balance_after') as kind from events
       where json_extract(payload, '$.data.id') = ?`,
      burned.body.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe("points.burned");
    // An integer, not the text "40" and not the template's 0.
    expect(events[0]?.kind).toBe("integer");
    const payload = JSON.parse(events[0]?.payload ?? "{}");
    expect(payload).toMatchObject({ type: "points.burned", data: burned.body });
    expect(Date.parse(payload.timestamp)).toBe(Date.parse(burned.body.created_at));

    const stored = await d1All<{ status_code: number; response_body: string }>(
      "select status_code, response_body from idempotency_keys where key = ?",
      key,
    );
    expect(stored).toEqual([{ status_code: 201, response_body: burned.text }]);
  });

  it("dates earns in a program whose points expire, and lists what is left oldest first", async () => {
    const { enrol, move, balance } = await setupProgram(operatorToken, { points_expire_after_days: 365 });
    const { externalId, id: memberId } = await enrol();
    const first = await move("earn", externalId, 100);
    const second = await move("earn", externalId, 50);
    expect(first.status).toBe(201);
    const expiresAt = Date.parse(first.body.expires_at);
    expect(expiresAt - Date.parse(first.body.created_at)).toBe(365 * 86_400_000);
    expect(await d1All("select expires_at from ledger_transactions where id = ?", first.body.id)).toEqual([
      { expires_at: expiresAt },
    ]);
    expect((await move("burn", externalId, 130)).body.balance_after).toBe(20);
    // The burn used the oldest lot first: 20 of the second earn are left.
    expect(await balance(externalId)).toEqual({
      available: 20,
      pending: 0,
      lifetime_earned: 150,
      expiring: [{ points: 20, expires_at: second.body.expires_at }],
    });
    expect(await accountBalance(memberId)).toBe(20);
  });

  it("refuses an overdraft with 409 insufficient_points and writes nothing to D1", async () => {
    const { enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();
    expect((await move("earn", externalId, 100)).status).toBe(201);
    const before = await counts();
    const key = newKey();

    const response = await move("burn", externalId, 101, { key });
    expect(response.status).toBe(409);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 409, code: "insufficient_points" });
    expect(response.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);

    expect(await counts()).toEqual(before);
    expect(await d1All("select key from idempotency_keys where key = ?", key)).toEqual([]);
    expect(await accountBalance(memberId)).toBe(100);
    expect(await d1All("select count(*) as n from ledger_transactions where member_id = ?", memberId)).toEqual([
      { n: 1 },
    ]);
    expect((await balance(externalId)).available).toBe(100);

    // Exactly the whole balance is still allowed.
    const all = await move("burn", externalId, 100);
    expect(all.status).toBe(201);
    expect(all.body.balance_after).toBe(0);
    expect((await move("burn", externalId, 1)).body.code).toBe("insufficient_points");
  });
});

describe("concurrency on D1", () => {
  it("lets exactly 20 of 50 parallel burns of 10 through on 200 points, never below zero", async () => {
    const { enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();
    expect((await move("earn", externalId, 200)).status).toBe(201);

    const answers = await Promise.all(Array.from({ length: 50 }, () => move("burn", externalId, 10)));
    expect(tally(answers)).toEqual({ "201": 20, "409 insufficient_points": 30 });

    // Each successful burn saw a distinct balance: the 20 writes were serialised, none lost or doubled.
    const after = answers
      .filter((answer) => answer.status === 201)
      .map((answer) => answer.body.balance_after as number)
      .sort((a, b) => a - b);
    expect(after).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));

    expect((await balance(externalId)).available).toBe(0);
    expect(await accountBalance(memberId)).toBe(0);
    expect(
      await d1All(
        "select count(*) as n, sum(points) as points, min(balance_after) as lowest from ledger_transactions where member_id = ? and type = 'burn'",
        memberId,
      ),
    ).toEqual([{ n: 20, points: 200, lowest: 0 }]);
    expect(
      await d1All(
        "select count(*) as n from events where type = 'points.burned' and json_extract(payload, '$.data.member_id') = ?",
        memberId,
      ),
    ).toEqual([{ n: 20 }]);
  });

  it("keeps the balance exact under parallel earns and burns mixed", async () => {
    const { enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();
    expect((await move("earn", externalId, 100)).status).toBe(201);

    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? move("earn", externalId, 5) : move("burn", externalId, 10))),
    );
    const earns = answers.filter((_, i) => i % 2 === 0);
    const burns = answers.filter((_, i) => i % 2 === 1);
    expect(earns.every((answer) => answer.status === 201)).toBe(true);
    for (const answer of burns) expect([201, 409]).toContain(answer.status);
    for (const answer of burns.filter((a) => a.status === 409)) expect(answer.body.code).toBe("insufficient_points");
    const burned = burns.filter((answer) => answer.status === 201).length;
    // 100 + 150 earned is enough for at least 10 burns whatever the order, and at most 25.
    expect(burned).toBeGreaterThanOrEqual(10);
    expect(burned).toBeLessThanOrEqual(25);
    for (const answer of answers.filter((a) => a.status === 201))
      expect(answer.body.balance_after).toBeGreaterThanOrEqual(0);

    const expected = 100 + 30 * 5 - burned * 10;
    expect((await balance(externalId)).available).toBe(expected);
    expect(await accountBalance(memberId)).toBe(expected);
    // The balances the writes reported are a serial history: in commit (rowid) order each follows the last.
    const history = await d1All<{ type: string; points: number; balance_after: number }>(
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

describe("idempotency on D1", () => {
  it("replays the same key and body byte for byte with Idempotent-Replayed, with one effect", async () => {
    const { enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();
    const key = newKey();
    const reference = unique("earn");
    const first = await move("earn", externalId, 250, { key, reference });
    expect(first.status).toBe(201);
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
    expect(await d1All("select count(*) as n from ledger_transactions where member_id = ?", memberId)).toEqual([
      { n: 1 },
    ]);
  });

  it("replays an enrolment with the same key instead of answering 409", async () => {
    const { programId, owner } = await setupProgram(operatorToken);
    const key = newKey();
    const externalId = unique("M");
    const enrol = () =>
      call("POST", `/v1/programs/${programId}/members`, {
        token: owner.token,
        headers: { "Idempotency-Key": key },
        body: { external_id: externalId },
      });
    const first = await enrol();
    expect(first.status).toBe(201);
    const second = await enrol();
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await d1All("select count(*) as n from members where program_id = ?", programId)).toEqual([{ n: 1 }]);
  });

  it("answers 422 idempotency_key_reused for the same key with another body, and writes nothing", async () => {
    const { enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId } = await enrol();
    const key = newKey();
    const reference = unique("earn");
    const first = await move("earn", externalId, 250, { key, reference });
    expect(first.status).toBe(201);
    const before = await counts();

    for (const reused of [
      await move("earn", externalId, 999, { key, reference }),
      await move("earn", externalId, 250, { key, reference: unique("other") }),
      await move("burn", externalId, 250, { key, reference }),
    ]) {
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe("idempotency_key_reused");
      expect(reused.headers.get("Idempotent-Replayed")).toBeNull();
    }
    expect(await counts()).toEqual(before);
    expect((await balance(externalId)).available).toBe(250);
    expect(
      await d1All<{ response_body: string }>("select response_body from idempotency_keys where key = ?", key),
    ).toEqual([{ response_body: first.text }]);
  });

  it("has exactly one effect for 20 parallel requests with one key", async () => {
    const { enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();
    const key = newKey();
    const reference = unique("earn");

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => move("earn", externalId, 75, { key, reference })),
    );
    const fresh = answers.filter((a) => a.status === 201 && a.headers.get("Idempotent-Replayed") === null);
    expect(fresh).toHaveLength(1);
    const winner = fresh[0] as Answer;
    for (const answer of answers) {
      if (answer === winner) continue;
      // Either the stored first response again, or "still running" while the winner writes.
      if (answer.status === 201) {
        expect(answer.headers.get("Idempotent-Replayed")).toBe("true");
        expect(answer.text).toBe(winner.text);
      } else {
        expect(answer.status).toBe(409);
        expect(answer.body.code).toBe("idempotency_in_flight");
        expect(answer.headers.get("Retry-After")).toBe("1");
      }
    }

    expect((await balance(externalId)).available).toBe(75);
    expect(await d1All("select id from ledger_transactions where member_id = ?", memberId)).toEqual([
      { id: winner.body.id },
    ]);
    expect(await d1All("select count(*) as n from idempotency_keys where key = ?", key)).toEqual([{ n: 1 }]);
    expect(
      await d1All("select count(*) as n from events where json_extract(payload, '$.data.id') = ?", winner.body.id),
    ).toEqual([{ n: 1 }]);
    // A retry after the storm replays the winner.
    const retry = await move("earn", externalId, 75, { key, reference });
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(retry.text).toBe(winner.text);
  });

  it("has exactly one effect for one key sent at once from many isolates (D1's primary key decides)", async () => {
    const { programId, owner, enrol, member, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();
    // Separate Worker instances have separate in-process in-flight sets, as separate isolates do: only the
    // idempotency_keys primary key in D1 can stop the second write, and the losers must replay the winner.
    const isolates = Array.from({ length: 8 }, () => createWorker());
    const send = async (worker: ReturnType<typeof createWorker>, path: string, init: RequestInit = {}) => {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`https://gateway.test${path}`, init), env, ctx);
      const answer = await read(response);
      await waitOnExecutionContext(ctx);
      return answer;
    };
    // Warm each isolate up with one authenticated request, one after the other (see the cold-isolate test).
    const auth = { Authorization: `Bearer ${owner.token}` };
    for (const worker of isolates)
      expect((await send(worker, `/v1/programs/${programId}/members/${externalId}`, { headers: auth })).status).toBe(
        200,
      );

    const key = newKey();
    const body = JSON.stringify({ program_id: programId, external_id: externalId, points: 40, reference: unique("r") });
    const earn = (worker: ReturnType<typeof createWorker>) =>
      send(worker, "/v1/transactions/earn", {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json", "Idempotency-Key": key },
        body,
      });
    // One request per isolate: none can be refused as in flight, so every one answers 201.
    const answers = await Promise.all(isolates.map(earn));
    expect(tally(answers)).toEqual({ "201": 1, "201 replayed": isolates.length - 1 });
    const winner = answers.find((a) => a.headers.get("Idempotent-Replayed") === null) as Answer;
    for (const answer of answers) expect(answer.text).toBe(winner.text);
    // And a storm of three per isolate afterwards still has no second effect.
    const storm = await Promise.all(isolates.flatMap((worker) => [earn(worker), earn(worker), earn(worker)]));
    for (const answer of storm) {
      expect(answer.status).toBe(201);
      expect(answer.text).toBe(winner.text);
    }

    expect((await balance(externalId)).available).toBe(40);
    expect((await member(externalId)).body.balance.lifetime_earned).toBe(40);
    expect(await d1All("select id from ledger_transactions where member_id = ?", memberId)).toEqual([
      { id: winner.body.id },
    ]);
    expect(await d1All("select count(*) as n from idempotency_keys where key = ?", key)).toEqual([{ n: 1 }]);
    expect(
      await d1All("select count(*) as n from events where json_extract(payload, '$.data.id') = ?", winner.body.id),
    ).toEqual([{ n: 1 }]);
  });

  it("does not store a refused request: the same key succeeds after topping up", async () => {
    const { enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId } = await enrol();
    const key = newKey();
    const reference = unique("burn");
    expect((await move("burn", externalId, 50, { key, reference })).body.code).toBe("insufficient_points");
    expect(await d1All("select key from idempotency_keys where key = ?", key)).toEqual([]);
    expect((await move("earn", externalId, 50)).status).toBe(201);
    const retried = await move("burn", externalId, 50, { key, reference });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
    expect((await balance(externalId)).available).toBe(0);
  });

  it("scopes keys per partner", async () => {
    const { programId, owner, enrol, move, balance } = await setupProgram(operatorToken);
    const { externalId } = await enrol();
    const guest = await onboardPartner(operatorToken);
    const agreement = await call("POST", `/v1/programs/${programId}/agreements`, {
      token: operatorToken,
      body: { partner_id: guest.id, can_earn: true, can_burn: true, issue_price_micros: 1, redeem_price_micros: 1 },
    });
    expect(agreement.status).toBe(201);
    const key = newKey();
    const reference = unique("earn");
    expect((await move("earn", externalId, 10, { key, reference, token: owner.token })).status).toBe(201);
    const guestEarn = await move("earn", externalId, 10, { key, reference, token: guest.token });
    expect(guestEarn.status).toBe(201);
    expect(guestEarn.headers.get("Idempotent-Replayed")).toBeNull();
    expect(guestEarn.body.partner_id).toBe(guest.id);
    expect((await balance(externalId)).available).toBe(20);
  });
});

describe("reversals on D1", () => {
  it("reverses part of an earn, then the rest, never beyond", async () => {
    const { owner, enrol, move, reverse, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();
    const earned = await move("earn", externalId, 1000);

    const partial = await reverse(earned.body.id, { points: 300, reason: "order partly cancelled" });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      type: "reversal",
      points: 300,
      balance_after: 700,
      original_transaction_id: earned.body.id,
      description: "order partly cancelled",
      reference: earned.body.reference,
    });
    const before = await counts();
    const beyond = await reverse(earned.body.id, { points: 701 });
    expect(beyond.status).toBe(409);
    expect(beyond.body.code).toBe("conflict");
    expect(await counts()).toEqual(before);

    const rest = await reverse(earned.body.id);
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ type: "reversal", points: 700, balance_after: 0 });
    const nothingLeft = await reverse(earned.body.id);
    expect(nothingLeft.status).toBe(409);
    expect(nothingLeft.body.code).toBe("conflict");

    expect(await balance(externalId)).toMatchObject({ available: 0, lifetime_earned: 0 });
    expect(await d1All("select reversed_points from ledger_transactions where id = ?", earned.body.id)).toEqual([
      { reversed_points: 1000 },
    ]);
    expect(await accountBalance(memberId)).toBe(0);
    const original = await call("GET", `/v1/transactions/${earned.body.id}`, { token: owner.token });
    expect(original.body.reversed_points).toBe(1000);
    // A reversal is not itself reversible.
    const ofReversal = await reverse(rest.body.id);
    expect(ofReversal.status).toBe(409);
    expect(ofReversal.body.code).toBe("conflict");
  });

  it("refuses to reverse an earn whose points are spent (insufficient_points), and re-credits a reversed burn", async () => {
    const { enrol, move, reverse, balance } = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await enrol();
    const earned = await move("earn", externalId, 500);
    const burned = await move("burn", externalId, 400);
    expect(burned.body.balance_after).toBe(100);
    const before = await counts();

    const reverseEarn = await reverse(earned.body.id);
    expect(reverseEarn.status).toBe(409);
    expect(reverseEarn.body.code).toBe("insufficient_points");
    expect(await counts()).toEqual(before);
    // The guarded reversed_points counter in the same batch rolled back with it.
    expect(await d1All("select reversed_points from ledger_transactions where id = ?", earned.body.id)).toEqual([
      { reversed_points: 0 },
    ]);

    const reverseBurn = await reverse(burned.body.id, { points: 150 });
    expect(reverseBurn.status).toBe(201);
    expect(reverseBurn.body).toMatchObject({ type: "reversal", points: 150, balance_after: 250 });
    expect((await balance(externalId)).available).toBe(250);
    expect(await accountBalance(memberId)).toBe(250);
    expect(
      await d1All(
        "select account_id, amount from ledger_entries where transaction_id = ? order by id",
        reverseBurn.body.id,
      ),
    ).toEqual([
      { account_id: memberId, amount: 150 },
      { account_id: `${burned.body.program_id}:redeemed:${burned.body.partner_id}`, amount: -150 },
    ]);
    // With the burn partly reversed there are again enough points for part of the earn.
    const partEarn = await reverse(earned.body.id, { points: 250 });
    expect(partEarn.status).toBe(201);
    expect(partEarn.body.balance_after).toBe(0);
  });

  it("keeps parallel partial reversals of an earn within the original (the reversed_points CHECK on D1)", async () => {
    const { enrol, move, reverse, balance } = await setupProgram(operatorToken);
    const { externalId } = await enrol();
    const earned = await move("earn", externalId, 100);
    // Enough other points that the member account never limits: only the original's CHECK can refuse.
    expect((await move("earn", externalId, 1000)).status).toBe(201);
    // All of them read reversed_points = 0 before the first write, so the database must refuse all but two.
    const answers = await Promise.all(Array.from({ length: 10 }, () => reverse(earned.body.id, { points: 40 })));
    expect(tally(answers)).toEqual({ "201": 2, "409 conflict": 8 });
    for (const answer of answers) expect(answer.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);
    expect(await d1All("select reversed_points from ledger_transactions where id = ?", earned.body.id)).toEqual([
      { reversed_points: 80 },
    ]);
    expect(
      await d1All("select count(*) as n from ledger_transactions where original_transaction_id = ?", earned.body.id),
    ).toEqual([{ n: 2 }]);
    expect(await balance(externalId)).toMatchObject({ available: 1020, lifetime_earned: 1020 });
  });

  it("keeps parallel partial reversals of a burn within the original, re-crediting exactly", async () => {
    const { enrol, move, reverse, balance } = await setupProgram(operatorToken);
    const { externalId } = await enrol();
    expect((await move("earn", externalId, 500)).status).toBe(201);
    const burned = await move("burn", externalId, 100);
    const answers = await Promise.all(Array.from({ length: 10 }, () => reverse(burned.body.id, { points: 30 })));
    expect(tally(answers)).toEqual({ "201": 3, "409 conflict": 7 });
    expect(
      answers
        .filter((a) => a.status === 201)
        .map((a) => a.body.balance_after)
        .sort(),
    ).toEqual([430, 460, 490]);
    expect(await d1All("select reversed_points from ledger_transactions where id = ?", burned.body.id)).toEqual([
      { reversed_points: 90 },
    ]);
    expect((await balance(externalId)).available).toBe(490);
  });
});

describe("tenancy on D1", () => {
  it("answers 404 for another partner's program, member and transaction, and writes nothing", async () => {
    const a = await setupProgram(operatorToken);
    const b = await setupProgram(operatorToken);
    const { externalId, id: memberId } = await a.enrol();
    // The same external id is enrolled in B's program too: it is a different member.
    const twin = await b.enrol(externalId);
    expect(twin.id).not.toBe(memberId);
    const earned = await a.move("earn", externalId, 300);
    const burned = await a.move("burn", externalId, 100);
    const stranger = b.owner.token;
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
      ["GET", `/v1/transactions/${earned.body.id}`, undefined],
      ["GET", `/v1/transactions/${burned.body.id}`, undefined],
      ["POST", `/v1/transactions/${earned.body.id}/reversals`, undefined],
      ["POST", `/v1/transactions/${burned.body.id}/reversals`, { points: 1 }],
      ["GET", `/v1/transactions/txn_${crypto.randomUUID().replaceAll("-", "")}`, undefined],
    ];
    for (const [method, path, body] of requests) {
      const response = await call(method, path, { token: stranger, body, headers: { "Idempotency-Key": newKey() } });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.code).toBe("not_found");
      expect(response.text).not.toContain(memberId);
      expect(response.text).not.toContain(a.owner.id);
    }
    const unknown = await call("GET", `/v1/transactions/${earned.body.id}`, { token: stranger });
    const missing = await call("GET", "/v1/transactions/txn_nope", { token: stranger });
    expect(unknown.body.detail.replace(earned.body.id, "ID")).toBe(missing.body.detail.replace("txn_nope", "ID"));

    expect(await counts()).toEqual(before);
    expect(await accountBalance(memberId)).toBe(200);
    expect(await accountBalance(twin.id)).toBe(0);
    expect((await a.balance(externalId)).available).toBe(200);
  });

  it("lets a guest with an agreement read but not reverse the owner's transactions", async () => {
    const { programId, enrol, move } = await setupProgram(operatorToken);
    const { externalId } = await enrol();
    const earned = await move("earn", externalId, 50);
    const guest = await onboardPartner(operatorToken);
    const agreement = await call("POST", `/v1/programs/${programId}/agreements`, {
      token: operatorToken,
      body: { partner_id: guest.id, can_earn: true, can_burn: true, issue_price_micros: 1, redeem_price_micros: 1 },
    });
    expect(agreement.status).toBe(201);
    const read = await call("GET", `/v1/transactions/${earned.body.id}`, { token: guest.token });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(earned.body.id);
    const before = await counts();
    const reversal = await call("POST", `/v1/transactions/${earned.body.id}/reversals`, {
      token: guest.token,
      headers: { "Idempotency-Key": newKey() },
    });
    expect(reversal.status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe("d1Writer on D1's own errors and results", () => {
  const writer = () => d1Writer(d1() as unknown as D1Like);

  it("turns D1's CHECK failure into ConstraintViolation and applies nothing of the batch", async () => {
    const id = `mem_writer_${crypto.randomUUID()}`;
    const error = await writer()
      .write([
        ensureAccount({ id, programId: `prg_writer_${crypto.randomUUID()}`, kind: "member", memberId: id }),
        { sql: "update accounts set balance = balance - 1 where id = ?", args: [id] },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolation);
    expect(error).toMatchObject({ kind: "check", constraint: "accounts_member_non_negative" });
    // D1 words it "D1_ERROR: CHECK constraint failed: <name>: SQLITE_CONSTRAINT (extended: ...)".
    expect(String((error as Error).cause)).toMatch(/CHECK constraint failed: accounts_member_non_negative/);
    expect(await d1All("select id from accounts where id = ?", id)).toEqual([]);
  });

  it("turns D1's primary-key failure into a unique ConstraintViolation naming the columns", async () => {
    const key = newKey();
    const insert = {
      sql: "insert into idempotency_keys (partner_id, key, request_hash, status_code, response_body, created_at) values (?, ?, 'h', 201, '{}', 0)",
      args: ["ptn_writer", key],
    };
    const error = await writer()
      .write([insert, insert])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unique", constraint: "idempotency_keys.partner_id, idempotency_keys.key" });
    expect(await d1All("select key from idempotency_keys where key = ?", key)).toEqual([]);
  });

  it("answers the rows of RETURNING and SELECT statements, json_set values typed", async () => {
    const key = newKey();
    const rows = await writer().write([
      {
        sql: "insert into idempotency_keys (partner_id, key, request_hash, status_code, response_body, created_at) values (?, ?, 'h', 201, json_set(?, '$.n', (select 41 + 1)), 5) returning key, status_code",
        args: ["ptn_writer", key, '{"n":0,"s":"x"}'],
      },
      { sql: "update accounts set balance = balance where id = ?", args: ["none"] },
      { sql: "select response_body as body from idempotency_keys where key = ?", args: [key] },
    ]);
    expect(rows).toEqual([[{ key, status_code: 201 }], [], [{ body: '{"n":42,"s":"x"}' }]]);
    await d1().prepare("delete from idempotency_keys where key = ?").bind(key).run();
  });
});

describe("the ledger invariants, straight from D1, after the workload above", () => {
  it("balances per program and per transaction, folds every balance, and has no negative member account", async () => {
    // The workload above really ran in this database.
    const [{ programs, transactions, entries }] = (await d1All<{
      programs: number;
      transactions: number;
      entries: number;
    }>(
      `select (select count(distinct program_id) from ledger_entries) as programs,
              (select count(*) from ledger_transactions) as transactions,
              (select count(*) from ledger_entries) as entries`,
    )) as [{ programs: number; transactions: number; entries: number }];
    expect(programs).toBeGreaterThanOrEqual(15);
    expect(transactions).toBeGreaterThanOrEqual(100);
    expect(entries).toBe(transactions * 2);

    expect(
      await d1All("select program_id, sum(amount) as total from ledger_entries group by program_id having total <> 0"),
    ).toEqual([]);
    expect(
      await d1All(
        "select transaction_id, sum(amount) as total from ledger_entries group by transaction_id having total <> 0",
      ),
    ).toEqual([]);
    expect(
      await d1All(`
        select a.id, a.balance, coalesce(sum(e.amount), 0) as folded
        from accounts a left join ledger_entries e on e.account_id = a.id
        group by a.id having a.balance <> folded`),
    ).toEqual([]);
    expect(
      await d1All("select id, balance from accounts where kind in ('member', 'member_hold') and balance < 0"),
    ).toEqual([]);
    // Every entry's program is its transaction's, and every transaction has its journal legs.
    expect(
      await d1All(
        `select e.id from ledger_entries e left join ledger_transactions t on t.id = e.transaction_id
         where t.id is null or t.program_id <> e.program_id`,
      ),
    ).toEqual([]);
    expect(
      await d1All(
        `select t.id from ledger_transactions t left join ledger_entries e on e.transaction_id = t.id
         group by t.id having count(e.id) <> 2`,
      ),
    ).toEqual([]);
    // Reversals never exceed their original, and balance_after of a member's latest movement is its balance.
    expect(
      await d1All(
        `select o.id from ledger_transactions o
         where o.reversed_points <> coalesce((select sum(r.points) from ledger_transactions r
                                              where r.original_transaction_id = o.id and r.type = 'reversal'), 0)`,
      ),
    ).toEqual([]);
    expect(
      await d1All(
        `select t.member_id from ledger_transactions t join accounts a on a.id = t.member_id
         where t.rowid = (select max(rowid) from ledger_transactions where member_id = t.member_id)
           and t.balance_after <> a.balance`,
      ),
    ).toEqual([]);
  });
});
