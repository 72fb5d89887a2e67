import { describe, expect, it } from "vitest";
import { newKey, setupConversion, setupProgram, unique } from "../scenarios/fixtures";
import { connect } from "../scenarios/gateway";
import { expectBody, expectProblem, tally } from "../scenarios/harness";
import * as op from "../scenarios/routes";
import { useWorkerTarget } from "./target";

// What only several isolates of one deployment can show: each `useWorkerTarget` on the same clock is another
// createWorker, with its own in-process state and settings, on the same D1 database.
const main = useWorkerTarget();
const gw = connect(main);

describe("several isolates on one D1 database", () => {
  it("give one key sent at once from many isolates exactly one effect (D1's primary key decides)", async () => {
    const { programId, owner, enrol, balance } = await setupProgram(gw);
    const { externalId, id: memberId } = await enrol();
    // Separate in-process in-flight sets, as separate isolates have: only the idempotency_keys primary key in
    // D1 can stop the second write, and the losers must replay the winner.
    const isolates = Array.from({ length: 8 }, () => connect(useWorkerTarget({}, main.clock)));
    const token = await gw.token(owner);
    // Warm each isolate up with one authenticated request, one after the other (see the cold-isolate test).
    for (const isolate of isolates)
      expectBody(
        await isolate.call("GET", `/v1/programs/${programId}/members/${externalId}`, { token }),
        op.getMember,
        200,
      );

    const key = newKey();
    const body = { program_id: programId, external_id: externalId, points: 40, reference: unique("r") };
    const earn = (isolate: (typeof isolates)[number]) =>
      isolate.call("POST", "/v1/transactions/earn", { token, headers: { "Idempotency-Key": key }, body });
    // One request per isolate: none can be refused as in flight, so every one answers 201.
    const answers = await Promise.all(isolates.map(earn));
    expect(tally(answers)).toEqual({ "201": 1, "201 replayed": isolates.length - 1 });
    const winner = answers.find((a) => a.headers.get("Idempotent-Replayed") === null);
    if (!winner) throw new Error("no isolate earned");
    for (const answer of answers) expect(answer.text).toBe(winner.text);
    // And a storm of three per isolate afterwards still has no second effect.
    const storm = await Promise.all(isolates.flatMap((isolate) => [earn(isolate), earn(isolate), earn(isolate)]));
    for (const answer of storm) {
      expect(answer.status).toBe(201);
      expect(answer.text).toBe(winner.text);
    }

    const { id } = expectBody(winner, op.earnPoints, 201);
    expect(await balance(externalId)).toMatchObject({ available: 40, lifetime_earned: 40 });
    expect(await gw.rows("select id from ledger_transactions where member_id = ?", memberId)).toEqual([{ id }]);
    expect(await gw.rows("select count(*) as n from idempotency_keys where key = ?", key)).toEqual([{ n: 1 }]);
    expect(await gw.rows("select count(*) as n from events where json_extract(payload, '$.data.id') = ?", id)).toEqual([
      { n: 1 },
    ]);
  });

  it("refuse an expired quote whatever their own QUOTE_TTL_SECONDS: the expiry is the quote's", async () => {
    const setup = await setupConversion(gw);
    await setup.fund(5_000);
    const shortLived = connect(useWorkerTarget({ QUOTE_TTL_SECONDS: "5" }, main.clock));
    const quote = (through: typeof gw) =>
      through.call("POST", "/v1/conversions/quotes", {
        as: setup.hotel.owner,
        body: {
          ...setup.pair,
          from_external_id: setup.guest.externalId,
          to_external_id: setup.flyer.externalId,
          from_points: 1_000,
        },
      });
    const late = expectBody(await quote(shortLived), op.quoteConversion, 201);
    expect(Date.parse(late.expires_at) - Date.parse(late.created_at)).toBe(5_000);
    main.clock.advance(5_001);
    for (const through of [shortLived, gw]) {
      const expired = await through.call("POST", "/v1/conversions", {
        as: setup.hotel.owner,
        headers: { "Idempotency-Key": newKey() },
        body: { quote_id: late.id },
      });
      expectProblem(expired, 409, "quote_expired");
    }
    expect(await gw.rows("select id from conversions where quote_id = ?", late.id)).toEqual([]);
  });
});
