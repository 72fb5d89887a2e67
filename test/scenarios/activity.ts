import { afterAll, expect, it } from "vitest";
import { newKey, onboardPartner } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import { walkPages } from "./paging";
import { redemptionWorld } from "./redemption-fixtures";
import * as op from "./routes";
import type { Credential, Target } from "./target";
import { table } from "./tier-fixtures";

type Item = { id: string; kind: string; occurred_at: string };

/** Newest first by moment, then by id: the order the activity promises, computed here independently. */
const newestFirst = (a: Item, b: Item) =>
  a.occurred_at === b.occurred_at ? (a.id < b.id ? 1 : -1) : a.occurred_at < b.occurred_at ? 1 : -1;

/**
 * A program with tiers (Blue, Silver at 1,000 points, Gold at 5,000), a catalogue and a static segment, and one member
 * with one or more records of every kind the activity merges, all made in the same millisecond unless `spread` moves
 * the clock a second between kinds: an earn with its tier's bonus and qualification, a reversal, a debit adjustment,
 * orders paid with burns (a product, a fulfilled voucher), a manual tier change, a segment join and touchpoints (one
 * dated an hour back).
 */
async function activityWorld(gw: Gateway, spread = false) {
  const world = await redemptionWorld(gw);
  const tick = () => spread && gw.clock.advance(1_000);
  expectBody(
    await gw.call("PUT", `/v1/programs/${world.programId}/tiers`, { as: world.owner, body: table }),
    op.putTiers,
    200,
  );
  const { externalId, id: memberId } = await world.enrol();
  const memberPath = `/v1/programs/${world.programId}/members/${externalId}`;
  const earned = await world.earn(externalId, 3_000);
  tick();
  expect((await world.reverse(earned.id, { points: 100, reason: "partial refund" })).status).toBe(201);
  tick();
  const adjusted = await gw.call("POST", "/v1/transactions/adjustments", {
    as: world.owner,
    headers: { "Idempotency-Key": newKey() },
    body: { program_id: world.programId, external_id: externalId, points: -50, reason: "Duplicate credit" },
  });
  expect(adjusted.status, adjusted.text).toBe(201);
  tick();
  const order = await world.redeemed(externalId, (await world.reward()).id);
  tick();
  const voucher = await world.redeemed(externalId, (await world.codeReward([`CODE-${memberId}`])).id);
  tick();
  expectBody(
    await gw.call("POST", `${memberPath}/tier`, {
      as: world.owner,
      body: { tier_key: "gold", reason: "status match" },
    }),
    op.setMemberTier,
    200,
  );
  tick();
  const segment = expectBody(
    await gw.call("POST", `/v1/programs/${world.programId}/segments`, {
      as: world.owner,
      body: { name: "Weekend travellers", type: "static" },
    }),
    op.createSegment,
    201,
  );
  await gw.call("POST", `/v1/segments/${segment.id}/members`, {
    as: world.owner,
    body: { external_ids: [externalId] },
  });
  tick();
  const touch = async (body: Record<string, unknown>, as: Credential = world.owner) =>
    expectBody(
      await gw.call("POST", `${memberPath}/touchpoints`, {
        as,
        body: { channel: "call_center", reason: "question", direction: "inbound", ...body },
      }),
      op.createTouchpoint,
      201,
    );
  await touch({ note: "Asked about the order", rating: 4 }, world.grocer);
  await touch({ occurred_at: new Date(gw.clock.now().getTime() - 3_600_000).toISOString() });

  /** The member's activity page (as the owner unless told), expected 200. */
  const activity = async (query = "", as: Credential = world.owner) =>
    expectBody(await gw.call("GET", `${memberPath}/activity${query}`, { as }), op.listMemberActivity, 200);
  /** Every item, walking pages of `limit` forwards, or backwards from the item `before` (and newer than it). */
  const walk = (limit: number, extra = "", before?: string) =>
    walkPages((query) => activity(`?${query}${extra}`), limit, before);
  return {
    ...world,
    externalId,
    memberId,
    memberPath,
    segment,
    orders: [order, voucher],
    touch,
    activity,
    walk,
  };
}

/**
 * A member's activity (issue 20): one newest-first list of transactions, redemptions, tier changes, segment joins and
 * touchpoints, each item equal to the record as its own route answers it; a cursor that pages across kinds with equal
 * moments without losing or repeating an item, forwards and backwards; the `kind` filter; who may read it.
 */
export function activityScenarios(target: Target) {
  const gw = connect(target);

  afterAll(async () => {
    await expectLedgerInvariants(gw.rows);
  });

  it("merges every kind newest first, each item the record as its own route answers it", async () => {
    const world = await activityWorld(gw, true);
    const { data, has_more } = await world.activity("?limit=100");
    expect(has_more).toBe(false);
    expect([...data].sort(newestFirst)).toEqual(data);

    const transactions = expectBody(
      await gw.call("GET", `${world.memberPath}/transactions?limit=100`, { as: world.owner }),
      op.listMemberTransactions,
      200,
    ).data;
    expect(new Set(transactions.map((t) => t.type))).toEqual(
      new Set(["earn", "bonus", "reversal", "adjustment", "burn"]),
    );
    const redemptions = expectBody(
      await gw.call("GET", `${world.memberPath}/redemptions`, { as: world.owner }),
      op.listMemberRedemptions,
      200,
    ).data;
    const touchpoints = expectBody(
      await gw.call("GET", `${world.memberPath}/touchpoints`, { as: world.owner }),
      op.listTouchpoints,
      200,
    ).data;
    const changes = await gw.rows<{
      id: string;
      from_key: string | null;
      to_key: string;
      reason: string;
      note: string | null;
      actor: string | null;
      at: number;
    }>(
      "select id, from_key, to_key, reason, note, actor, at from member_tier_changes where member_id = ?",
      world.memberId,
    );
    expect(changes.map((c) => c.reason).sort()).toEqual(["manual", "qualified"]);

    const [joined] = await gw.rows<{ joined_at: number }>(
      "select joined_at from segment_members where segment_id = ? and member_id = ?",
      world.segment.id,
      world.memberId,
    );
    const expected = [
      ...transactions.map((t) => ({ ...t, kind: "transaction", occurred_at: t.created_at })),
      ...redemptions.map((r) => ({ ...r, kind: "redemption", occurred_at: r.created_at })),
      ...touchpoints.map((t) => ({ ...t, kind: "touchpoint" })),
      ...changes.map((c) => ({
        id: c.id,
        kind: "tier_change",
        occurred_at: new Date(c.at).toISOString(),
        program_id: world.programId,
        member_id: world.memberId,
        external_id: world.externalId,
        from: c.from_key,
        to: c.to_key,
        reason: c.reason,
        note: c.note,
        actor: c.actor,
      })),
      {
        id: world.segment.id,
        kind: "segment_join",
        occurred_at: new Date(joined?.joined_at ?? 0).toISOString(),
        segment_id: world.segment.id,
        program_id: world.programId,
        member_id: world.memberId,
        external_id: world.externalId,
        name: "Weekend travellers",
        type: "static",
      },
    ].sort((a, b) => newestFirst(a, b as Item));
    expect(data).toEqual(expected);
    // A debit adjustment is signed, as its own route signs it.
    expect(data).toContainEqual(expect.objectContaining({ kind: "transaction", type: "adjustment", points: -50 }));
    // Each record also reads the same by its own id.
    for (const item of data.filter((i) => i.kind === "transaction"))
      expect(item).toMatchObject(
        expectBody(await gw.call("GET", `/v1/transactions/${item.id}`, { as: world.owner }), op.getTransaction, 200),
      );
    const orders = data.filter((i) => i.kind === "redemption");
    expect(orders.map((i) => i.id).sort()).toEqual(world.orders.map((o) => o.id).sort());
    for (const item of orders)
      expect(item).toMatchObject(
        expectBody(await gw.call("GET", `/v1/redemptions/${item.id}`, { as: world.owner }), op.getRedemption, 200),
      );
    // The voucher's order was fulfilled with its code, which the activity shows as the order does.
    expect(orders.find((i) => i.id === world.orders[1]?.id)).toMatchObject({
      status: "fulfilled",
      codes: [`CODE-${world.memberId}`],
    });
    // The back-dated touchpoint is the oldest item; the segment join, made last but one, is the newest but one.
    expect(data.at(-1)).toMatchObject({ kind: "touchpoint", rating: null });
    expect(data.map((i) => i.kind).slice(0, 2)).toEqual(["touchpoint", "segment_join"]);
  });

  it("pages across kinds made in the same millisecond without losing or repeating one, forwards and backwards", async () => {
    const world = await activityWorld(gw);
    const all = (await world.activity("?limit=100")).data;
    const moments = new Set(all.map((i) => i.occurred_at));
    // Everything but the back-dated touchpoint shares one moment, across all five kinds.
    expect(moments.size).toBe(2);
    const same = all.filter((i) => i.occurred_at === all[0]?.occurred_at);
    expect(new Set(same.map((i) => i.kind))).toEqual(
      new Set(["transaction", "redemption", "tier_change", "segment_join", "touchpoint"]),
    );
    expect(all.map((i) => i.id)).toEqual([...all].sort(newestFirst).map((i) => i.id));
    const ids = all.map((i) => i.id);
    for (const limit of [1, 2, 3]) {
      expect(
        (await world.walk(limit)).map((i) => i.id),
        `forwards by ${limit}`,
      ).toEqual(ids);
      const last = ids.at(-1) as string;
      expect(
        (await world.walk(limit, "", last)).map((i) => i.id),
        `backwards by ${limit}`,
      ).toEqual(ids.slice(0, -1));
    }
    // From any item, the next page starts right after it, and the previous page ends right before it.
    for (const [i, id] of ids.entries()) {
      expect((await world.activity(`?limit=2&starting_after=${id}`)).data.map((x) => x.id)).toEqual(
        ids.slice(i + 1, i + 3),
      );
      expect((await world.activity(`?limit=2&ending_before=${id}`)).data.map((x) => x.id)).toEqual(
        ids.slice(Math.max(0, i - 2), i),
      );
    }
  });

  it("narrows by kind, and pages within the kinds asked for", async () => {
    const world = await activityWorld(gw);
    const all = (await world.activity("?limit=100")).data;
    const only = (kinds: string[]) => all.filter((i) => kinds.includes(i.kind)).map((i) => i.id);
    for (const kinds of [
      ["touchpoint"],
      ["transaction", "redemption"],
      ["tier_change", "segment_join", "touchpoint"],
    ]) {
      const query = `&kind=${kinds.join(",")}`;
      expect(
        (await world.activity(`?limit=100${query}`)).data.map((i) => i.id),
        kinds.join(),
      ).toEqual(only(kinds));
      expect(
        (await world.walk(2, query)).map((i) => i.id),
        kinds.join(),
      ).toEqual(only(kinds));
    }
    // Named twice, a kind is listed once.
    expect((await world.activity("?limit=100&kind=touchpoint,touchpoint")).data.map((i) => i.id)).toEqual(
      only(["touchpoint"]),
    );
  });

  it("refuses an invalid kind or cursor with 400 naming the parameter", async () => {
    const world = await activityWorld(gw);
    const other = await world.enrol();
    const theirs = await world.earn(other.externalId, 10);
    const cases: [string, string][] = [
      ["?kind=transactions", "kind"],
      ["?kind=", "kind"],
      ["?kind=transaction,,touchpoint", "kind"],
      ["?limit=0", "limit"],
      ["?starting_after=txn_nope", "starting_after"],
      ["?ending_before=seg_nope", "ending_before"],
      [`?starting_after=${theirs.id}`, "starting_after"],
      ["?starting_after=a&ending_before=b", "ending_before"],
      ["?colour=red", "query"],
    ];
    for (const [query, path] of cases) {
      const problem = expectProblem(
        await gw.call("GET", `${world.memberPath}/activity${query}`, { as: world.owner }),
        400,
        "validation_failed",
        query,
      );
      expect(
        problem.errors?.map((e) => e.path),
        query,
      ).toContain(path);
    }
  });

  it("is for partners with an agreement (segment joins for the owner only), 404 to others, and needs members:read", async () => {
    const world = await activityWorld(gw);
    const mine = (await world.activity("?limit=100")).data;
    const grocers = (await world.activity("?limit=100", world.grocer)).data;
    expect(grocers).toEqual(mine.filter((i) => i.kind !== "segment_join"));
    expect((await world.activity("?kind=segment_join", world.grocer)).data).toEqual([]);
    expectProblem(
      await gw.call("GET", `${world.memberPath}/activity?starting_after=${world.segment.id}`, { as: world.grocer }),
      400,
      "validation_failed",
    );
    const stranger = await onboardPartner(gw);
    expectProblem(await gw.call("GET", `${world.memberPath}/activity`, { as: stranger }), 404, "not_found");
    expectProblem(
      await gw.call("GET", `/v1/programs/${world.programId}/members/NOBODY-1/activity`, { as: world.owner }),
      404,
      "not_found",
    );
    const writer = await gw.token(world.grocer, "members:write");
    expectProblem(await gw.call("GET", `${world.memberPath}/activity`, { token: writer }), 403, "forbidden");
    const reader = await gw.token(world.grocer, "members:read");
    expect(
      expectBody(await gw.call("GET", `${world.memberPath}/activity`, { token: reader }), op.listMemberActivity, 200)
        .data,
    ).toEqual(grocers.slice(0, 20));
  });

  it("still reads an erased member's activity: every record stays, touchpoint notes removed", async () => {
    const world = await activityWorld(gw);
    const before = (await world.activity("?limit=100")).data;
    const erased = await gw.call("POST", `${world.memberPath}/erase`, { as: world.owner });
    expect(erased.status, erased.text).toBe(200);
    const after = (await world.activity("?limit=100")).data;
    expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id));
    for (const [i, item] of after.entries())
      if (item.kind === "touchpoint") expect(item).toEqual({ ...before[i], note: null });
    expect(after.filter((i) => i.kind === "touchpoint")).toHaveLength(2);
  });

  it("answers an empty list for a member with no activity, and a new record first", async () => {
    const world = await redemptionWorld(gw);
    const { externalId } = await world.enrol();
    const path = `/v1/programs/${world.programId}/members/${externalId}/activity`;
    expect(expectBody(await gw.call("GET", path, { as: world.owner }), op.listMemberActivity, 200)).toEqual({
      object: "list",
      data: [],
      has_more: false,
    });
    gw.clock.advance(1_000);
    const { bonus_points, bonuses, ...earned } = await world.earn(externalId, 5, { key: newKey() });
    const page = expectBody(await gw.call("GET", path, { as: world.owner }), op.listMemberActivity, 200);
    expect(page.data).toEqual([{ ...earned, kind: "transaction", occurred_at: earned.created_at }]);
  });
}
