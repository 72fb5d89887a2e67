import { afterAll, describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import { delivery, redemptionEvents, redemptionWorld } from "./redemption-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

const DAY = 86_400_000;

/**
 * Redemption orders (issue 19, item 4) through the API: placing them (the burn to the fulfilling partner, the stock,
 * the codes, the events, in one write), every documented error, replays, each step of their life and who may take
 * it, orders held for review and decided both ways, and the lists.
 */
export function redemptionScenarios(target: Target) {
  const gw = connect(target);

  afterAll(async () => {
    await expectLedgerInvariants(gw.rows);
  });

  describe("placing an order", () => {
    it("burns the member's points to the fulfilling partner, takes the stock and tells each partner once (known answer)", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 5 });
      const { externalId, id: memberId } = await world.member(10_000);

      const answer = await world.redeem(externalId, product.id, 2, { delivery });
      const order = expectBody(answer, op.createRedemption, 201);
      expect(order).toEqual({
        id: expect.stringMatching(/^rdm_/),
        status: "pending",
        program_id: world.programId,
        reward_id: product.id,
        member_id: memberId,
        external_id: externalId,
        quantity: 2,
        points: 3_000,
        transaction_id: expect.stringMatching(/^txn_/),
        partner_id: world.grocer.id,
        fulfilling_partner_id: world.shop.id,
        review_id: null,
        delivery,
        tracking_reference: null,
        cancel_reason: null,
        created_at: gw.clock.now().toISOString(),
        updated_at: gw.clock.now().toISOString(),
        fulfilled_at: null,
        cancelled_at: null,
        returned_at: null,
      });
      // The burn is the shop's (its redemption on statements), referenced by the order, named after the reward.
      expect(
        await gw.rows(
          "select type, partner_id, points, reference, description from ledger_transactions where id = ?",
          order.transaction_id,
        ),
      ).toEqual([
        {
          type: "burn",
          partner_id: world.shop.id,
          points: 3_000,
          reference: order.id,
          description: "Espresso machine",
        },
      ]);
      expect(
        await gw.rows(
          "select account_id, amount from ledger_entries where transaction_id = ? order by amount",
          order.transaction_id,
        ),
      ).toEqual([
        { account_id: memberId, amount: -3_000 },
        { account_id: `${world.programId}:redeemed:${world.shop.id}`, amount: 3_000 },
      ]);
      expect(await world.balanceOf(externalId)).toBe(7_000);
      expect(await world.stockOf(product.id)).toBe(3);

      const events = await redemptionEvents(gw, order.id);
      expect(events.map((e) => [e.partnerId, e.type])).toEqual([
        [world.owner.id, "redemption.created"],
        [world.grocer.id, "redemption.created"],
        [world.shop.id, "redemption.created"],
      ]);
      for (const event of events) expect(event.data).toEqual(order);
      // The owner, the ordering and the fulfilling partner read it as it was answered; another partner cannot.
      for (const as of [world.owner, world.grocer, world.shop, gw.operator])
        expect(expectBody(await world.get(order.id, as), op.getRedemption, 200)).toEqual(order);
      expectProblem(await world.get(order.id, await onboardPartner(gw)), 404, "not_found");
    });

    it("fulfils a code reward at once with its oldest codes, each handed out once", async () => {
      const world = await redemptionWorld(gw);
      const voucher = await world.codeReward(["CODE-1", "CODE-2", "CODE-3", "CODE-4"]);
      const { externalId } = await world.member(5_000);
      const first = await world.redeemed(externalId, voucher.id, 2);
      expect(first).toMatchObject({
        status: "fulfilled",
        points: 1_000,
        codes: ["CODE-1", "CODE-2"],
        fulfilling_partner_id: world.owner.id,
        fulfilled_at: gw.clock.now().toISOString(),
      });
      const second = await world.redeemed(externalId, voucher.id, 1);
      expect(second.codes).toEqual(["CODE-3"]);
      expect(
        (await redemptionEvents(gw, first.id)).map((e) => [e.partnerId, e.type]),
        "the owner fulfils it and the grocer placed it",
      ).toEqual([
        [world.owner.id, "redemption.created"],
        [world.grocer.id, "redemption.created"],
        [world.owner.id, "redemption.fulfilled"],
        [world.grocer.id, "redemption.fulfilled"],
      ]);
      expect(
        await gw.rows(
          "select code, status, redemption_id from reward_codes where reward_id = ? order by id",
          voucher.id,
        ),
      ).toEqual([
        { code: "CODE-1", status: "assigned", redemption_id: first.id },
        { code: "CODE-2", status: "assigned", redemption_id: first.id },
        { code: "CODE-3", status: "assigned", redemption_id: second.id },
        { code: "CODE-4", status: "available", redemption_id: null },
      ]);
      expect(expectBody(await world.get(first.id), op.getRedemption, 200)).toEqual(first);
      // One code left: two are out of stock, and nothing is written.
      expectProblem(await world.redeem(externalId, voucher.id, 2), 409, "out_of_stock");
      expect(await world.balanceOf(externalId)).toBe(3_500);
    });

    it("replays an order by its Idempotency-Key and writes nothing more; another body under the key is 422", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 3 });
      const { externalId } = await world.member(5_000);
      const key = newKey();
      const first = await world.redeem(externalId, product.id, 1, { key });
      expectBody(first, op.createRedemption, 201);
      const count = async () =>
        (
          await gw.rows<{ n: number }>(
            `select (select count(*) from redemptions) + (select count(*) from ledger_transactions)
                    + (select count(*) from events) as n`,
          )
        )[0]?.n;
      const before = await count();
      const again = await world.redeem(externalId, product.id, 1, { key });
      expect(again.status).toBe(201);
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.text).toBe(first.text);
      expect(await count()).toBe(before);
      expect(await world.stockOf(product.id)).toBe(2);
      expect(await world.balanceOf(externalId)).toBe(3_500);
      expectProblem(await world.redeem(externalId, product.id, 2, { key }), 422, "idempotency_key_reused");
      // Without a key the order is refused before anything happens.
      const keyless = await gw.call("POST", "/v1/redemptions", {
        as: world.grocer,
        body: { program_id: world.programId, external_id: externalId, reward_id: product.id, quantity: 1 },
      });
      expectProblem(keyless, 400, "validation_failed");
    });
  });

  describe("refused orders", () => {
    it("answers 409 insufficient_points, out_of_stock and limit_exceeded, writing nothing", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 2, per_member_limit: 2 });
      const poor = await world.member(1_000);
      const poorProblem = expectProblem(await world.redeem(poor.externalId, product.id), 409, "insufficient_points");
      expect(poorProblem.detail).toMatch(/enough/);
      const rich = await world.member(20_000);
      const stock = expectProblem(await world.redeem(rich.externalId, product.id, 3), 409, "out_of_stock");
      expect(stock.detail).toContain("2 unit(s) left; the order asked for 3");

      const limited = await world.reward({ per_member_limit: 2 });
      const order = await world.redeemed(rich.externalId, limited.id, 2);
      const limit = expectProblem(await world.redeem(rich.externalId, limited.id), 409, "limit_exceeded");
      expect(limit.detail).toContain("at most 2 unit(s)");
      // Another member has a limit of its own; a cancelled order gives the member's share back.
      await world.redeemed((await world.member(1_500)).externalId, limited.id, 1, { as: world.owner });
      expectBody(await world.step("cancel", order.id, { reason: "changed mind" }), op.cancelRedemption, 200);
      await world.redeemed(rich.externalId, limited.id, 2);
      expect(await world.stockOf(product.id)).toBe(2);
      expect(await world.balanceOf(rich.externalId)).toBe(20_000 - 3_000);
      expect(await gw.rows("select count(*) as n from redemptions where reward_id = ?", product.id)).toEqual([
        { n: 0 },
      ]);
    });

    it("answers 403 not_eligible for an inactive reward, one outside its dates, or one for other tiers", async () => {
      const world = await redemptionWorld(gw);
      expectBody(
        await gw.call("PUT", `/v1/programs/${world.programId}/tiers`, {
          as: world.owner,
          body: {
            tiers: [
              { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
              { key: "gold", name: "Gold", min_points: 100_000, earn_bonus_bps: 0, upgrade_bonus_points: 0 },
            ],
          },
        }),
        op.putTiers,
        200,
      );
      const { externalId } = await world.member(10_000);
      const now = gw.clock.now().getTime();
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ active: false }, /is not active/],
        [{ available_from: new Date(now + DAY).toISOString() }, /is available from/],
        [{ available_until: new Date(now - 1).toISOString() }, /was available until/],
        [{ tiers: ["gold"] }, /is for the tiers gold; the member is blue/],
      ];
      for (const [fields, detail] of cases) {
        const reward = await world.reward(fields);
        const problem = expectProblem(await world.redeem(externalId, reward.id), 403, "not_eligible", String(detail));
        expect(problem.detail).toMatch(detail);
      }
      // The dates are business time: a day later the first reward of the window is on.
      const later = await world.reward({ available_from: new Date(now + DAY).toISOString(), tiers: ["blue", "gold"] });
      gw.clock.advance(DAY);
      expectBody(await world.redeem(externalId, later.id), op.createRedemption, 201);
      expect(await world.balanceOf(externalId)).toBe(8_500);
    });

    it("refuses a partner whose agreement cannot burn (403), one without an agreement (404), bad quantities (400) and another program's reward (404)", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward();
      const { externalId } = await world.member(10_000);
      const earnOnly = await onboardPartner(gw);
      await addAgreement(gw, world.programId, earnOnly.id, { can_burn: false });
      const forbidden = expectProblem(
        await world.redeem(externalId, product.id, 1, { as: earnOnly }),
        403,
        "forbidden",
      );
      expect(forbidden.detail).toMatch(/does not allow burning/);
      expectProblem(await world.redeem(externalId, product.id, 1, { as: await onboardPartner(gw) }), 404, "not_found");
      for (const quantity of [0, 101, 1.5])
        expectProblem(await world.redeem(externalId, product.id, quantity), 400, "validation_failed");
      const elsewhere = await redemptionWorld(gw);
      const theirs = await elsewhere.reward();
      expectProblem(await world.redeem(externalId, theirs.id), 404, "not_found");
      expectProblem(await world.redeem("nobody", product.id), 404, "not_found");
      expect(await world.balanceOf(externalId)).toBe(10_000);
    });
  });

  describe("an order's life", () => {
    it("fulfils a pending order once, with its tracking reference; a fulfilled order cannot be cancelled", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 4 });
      const { externalId } = await world.member(5_000);
      const order = await world.redeemed(externalId, product.id);
      gw.clock.advance(60_000);
      const fulfilled = expectBody(
        await world.step("fulfil", order.id, { tracking_reference: "BR123456789PT" }),
        op.fulfilRedemption,
        200,
      );
      expect(fulfilled).toEqual({
        ...order,
        status: "fulfilled",
        tracking_reference: "BR123456789PT",
        fulfilled_at: gw.clock.now().toISOString(),
        updated_at: gw.clock.now().toISOString(),
      });
      expect((await redemptionEvents(gw, order.id)).filter((e) => e.type === "redemption.fulfilled")).toEqual(
        [world.owner.id, world.grocer.id, world.shop.id].map((partnerId) => ({
          partnerId,
          type: "redemption.fulfilled",
          data: fulfilled,
        })),
      );
      const twice = expectProblem(await world.step("fulfil", order.id), 409, "invalid_state");
      expect(twice.detail).toContain("is fulfilled; only a pending order can be fulfilled");
      expectProblem(await world.step("cancel", order.id, { reason: "too late" }), 409, "invalid_state");
      expect(await world.balanceOf(externalId)).toBe(3_500);
      expect(expectBody(await world.get(order.id), op.getRedemption, 200)).toEqual(fulfilled);
    });

    it("cancels a pending order: the points back as a reversal of its burn, the stock back, exactly once", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 4 });
      const { externalId } = await world.member(5_000);
      const order = await world.redeemed(externalId, product.id, 2);
      expect(await world.stockOf(product.id)).toBe(2);
      const key = newKey();
      const answer = await world.step("cancel", order.id, { reason: "Out of stock at the warehouse" }, world.shop, key);
      const cancelled = expectBody(answer, op.cancelRedemption, 200);
      expect(cancelled).toMatchObject({
        status: "cancelled",
        cancel_reason: "Out of stock at the warehouse",
        cancelled_at: gw.clock.now().toISOString(),
        transaction_id: order.transaction_id,
      });
      expect(await world.balanceOf(externalId)).toBe(5_000);
      expect(await world.stockOf(product.id)).toBe(4);
      expect(
        await gw.rows(
          `select type, partner_id, points, reference, description, original_transaction_id from ledger_transactions
           where original_transaction_id = ?`,
          order.transaction_id,
        ),
      ).toEqual([
        {
          type: "reversal",
          partner_id: world.shop.id,
          points: 3_000,
          reference: order.id,
          description: "Out of stock at the warehouse",
          original_transaction_id: order.transaction_id,
        },
      ]);
      expect(
        await gw.rows("select reversed_points from ledger_transactions where id = ?", order.transaction_id),
      ).toEqual([{ reversed_points: 3_000 }]);
      // The same request replays; a second cancel, or a reversal of the burn by hand, gives nothing more back.
      const replay = await world.step("cancel", order.id, { reason: "Out of stock at the warehouse" }, world.shop, key);
      expect(replay.text).toBe(answer.text);
      expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
      expectProblem(await world.step("cancel", order.id, { reason: "again" }), 409, "invalid_state");
      expectProblem(await world.step("fulfil", order.id), 409, "invalid_state");
      expectProblem(await world.reverse(order.transaction_id, {}, world.shop), 409, "invalid_state");
      expect(await world.balanceOf(externalId)).toBe(5_000);
      expect((await redemptionEvents(gw, order.id)).map((e) => e.type)).toEqual([
        "redemption.created",
        "redemption.created",
        "redemption.created",
        "redemption.cancelled",
        "redemption.cancelled",
        "redemption.cancelled",
      ]);
      expectProblem(await world.step("cancel", order.id, {}), 400, "validation_failed");
    });

    it("refunds an order's burn only through the order, and keeps a reward's fulfilment while orders are open", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 4 });
      const { externalId } = await world.member(5_000);
      const order = await world.redeemed(externalId, product.id, 1);
      // The fulfilling partner owns the burn, yet reversing it would refund the order behind its back.
      const reversal = await gw.call("POST", `/v1/transactions/${order.transaction_id}/reversals`, {
        as: world.shop,
        body: { points: 100, reason: "refund" },
        headers: { "Idempotency-Key": newKey() },
      });
      expect(expectProblem(reversal, 409, "invalid_state").detail).toContain(`/v1/redemptions/${order.id}/cancel`);
      const patched = await gw.call("PATCH", `/v1/rewards/${product.id}`, {
        as: world.owner,
        body: { fulfilment: "manual" },
      });
      expect(expectProblem(patched, 409, "invalid_state").errors).toEqual([
        { path: "fulfilment", message: "cannot change while orders are held or pending" },
      ]);
      expect(await world.balanceOf(externalId)).toBe(3_500);
      expectBody(await world.step("cancel", order.id, { reason: "member asked" }), op.cancelRedemption, 200);
      expect(await world.balanceOf(externalId)).toBe(5_000);
      expect(await world.stockOf(product.id)).toBe(4);
      // No open order: the fulfilment may change.
      expectBody(
        await gw.call("PATCH", `/v1/rewards/${product.id}`, { as: world.owner, body: { fulfilment: "manual" } }),
        op.updateReward,
        200,
      );
    });

    it("takes back a fulfilled product: points and stock back; vouchers, services and pending orders are not returned", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 1 });
      const { externalId } = await world.member(5_000);
      const order = await world.redeemed(externalId, product.id);
      expectProblem(await world.step("return", order.id), 409, "invalid_state");
      expectBody(await world.step("fulfil", order.id), op.fulfilRedemption, 200);
      const returned = expectBody(
        await world.step("return", order.id, { reason: "Arrived damaged" }),
        op.returnRedemption,
        200,
      );
      expect(returned).toMatchObject({
        status: "returned",
        cancel_reason: "Arrived damaged",
        returned_at: gw.clock.now().toISOString(),
      });
      expect(await world.balanceOf(externalId)).toBe(5_000);
      expect(await world.stockOf(product.id)).toBe(1);
      expectProblem(await world.step("return", order.id), 409, "invalid_state");
      expect((await redemptionEvents(gw, order.id)).at(-1)).toMatchObject({
        type: "redemption.returned",
        data: returned,
      });

      const voucher = await world.codeReward(["RET-1"]);
      const coded = await world.redeemed(externalId, voucher.id);
      const service = await world.reward({ type: "service", name: "Car wash" });
      const washed = await world.redeemed(externalId, service.id);
      expectBody(await world.step("fulfil", washed.id), op.fulfilRedemption, 200);
      for (const id of [coded.id, washed.id]) {
        const problem = expectProblem(await world.step("return", id, undefined, world.owner), 409, "invalid_state");
        expect(problem.detail).toMatch(/only products delivered by a partner can be returned/);
      }
      expect(await world.balanceOf(externalId)).toBe(5_000 - 500 - 1_500);
    });

    it("lets the owner, the fulfilling partner and the operator take steps; the ordering partner only cancels", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward();
      const { externalId } = await world.member(10_000);
      const orders = await Promise.all([1, 2, 3, 4].map(() => world.redeemed(externalId, product.id)));
      const [a, b, c, d] = orders.map((o) => o.id) as [string, string, string, string];
      const stranger = await onboardPartner(gw);
      await addAgreement(gw, world.programId, stranger.id);
      for (const [verb, body] of [
        ["fulfil", {}],
        ["cancel", { reason: "x" }],
        ["return", { reason: "x" }],
      ] as const)
        expectProblem(await world.step(verb, a, body, stranger), 404, "not_found");
      expectProblem(await world.get(a, stranger), 404, "not_found");
      expectProblem(await world.step("fulfil", a, {}, world.grocer), 403, "forbidden");
      expectBody(await world.step("cancel", a, { reason: "member asked" }, world.grocer), op.cancelRedemption, 200);
      expectBody(await world.step("fulfil", b, {}, world.owner), op.fulfilRedemption, 200);
      expectProblem(await world.step("return", b, {}, world.grocer), 403, "forbidden");
      expectBody(await world.step("return", b, {}, gw.operator), op.returnRedemption, 200);
      expectBody(await world.step("fulfil", c, {}, gw.operator), op.fulfilRedemption, 200);
      expectBody(await world.step("cancel", d, { reason: "no address" }, world.owner), op.cancelRedemption, 200);
      expectProblem(await world.step("fulfil", "rdm_nope", {}, world.owner), 404, "not_found");
      expect(await world.balanceOf(externalId)).toBe(10_000 - 1_500);
    });
  });

  describe("orders held for review", () => {
    it("holds an order above the review threshold with its points and stock reserved, and approval places it", async () => {
      const world = await redemptionWorld(gw, { review_threshold_points: 2_000 });
      const product = await world.reward({ stock: 3 });
      const { externalId } = await world.member(10_000);
      const answer = await world.redeem(externalId, product.id, 2);
      const held = expectBody(answer, op.createRedemption, 202);
      expect(held).toMatchObject({ status: "held", points: 3_000, review_id: expect.stringMatching(/^rev_/) });
      expect(await world.balanceOf(externalId)).toBe(7_000);
      expect((await world.balance(externalId)).pending).toBe(3_000);
      expect(await world.stockOf(product.id)).toBe(1);
      expect(await redemptionEvents(gw, held.id), "announced when approved").toEqual([]);
      // The hold itself moved points: it is announced now, as a held burn's is.
      const holds = await gw.rows<{ partner_id: string; payload: string }>(
        "select partner_id, payload from events where type = 'points.held' and json_extract(payload, '$.data.id') = ? order by rowid",
        held.transaction_id,
      );
      expect(holds.map((row) => row.partner_id).sort()).toEqual(
        [world.owner.id, world.grocer.id, world.shop.id].sort(),
      );
      expect(JSON.parse(holds[0]?.payload ?? "{}").data).toMatchObject({
        type: "hold",
        points: 3_000,
        external_id: externalId,
        balance_after: 7_000,
      });
      expect(
        await gw.rows("select type, partner_id from ledger_transactions where id = ?", held.transaction_id),
      ).toEqual([{ type: "hold", partner_id: world.shop.id }]);
      expect(await world.pendingReview(held.review_id)).toMatchObject({
        kind: "redemption",
        redemption_id: held.id,
        rule: "review_threshold",
        partner_id: world.grocer.id,
        points: 3_000,
      });
      expectProblem(await world.step("fulfil", held.id), 409, "invalid_state");
      expectProblem(await world.step("cancel", held.id, { reason: "x" }), 409, "invalid_state");

      gw.clock.advance(60_000);
      const decided = await world.decide(held.review_id, "approve", { reason: "ok" });
      expect(decided).toMatchObject({
        kind: "redemption",
        status: "approved",
        redemption_id: held.id,
        transaction: { type: "burn", partner_id: world.shop.id, points: 3_000, balance_after: 7_000 },
        redemption: { id: held.id, status: "pending" },
      });
      const approved = expectBody(await world.get(held.id), op.getRedemption, 200);
      expect(approved).toEqual(decided.redemption);
      expect(approved.transaction_id).toBe(decided.transaction?.id);
      expect(decided.transaction?.original_transaction_id).toBe(held.transaction_id);
      expect((await world.balance(externalId)).pending).toBe(0);
      expect((await redemptionEvents(gw, held.id)).map((e) => [e.partnerId, e.type])).toEqual([
        [world.owner.id, "redemption.created"],
        [world.grocer.id, "redemption.created"],
        [world.shop.id, "redemption.created"],
      ]);
      expectProblem(
        await gw.call("POST", `/v1/reviews/${held.review_id}/reject`, { as: gw.operator }),
        409,
        "conflict",
      );
      // It goes on as any order: cancelled, its points come back from the burn the approval made.
      expectBody(await world.step("cancel", held.id, { reason: "member asked" }), op.cancelRedemption, 200);
      expect(await world.balanceOf(externalId)).toBe(10_000);
      expect(await world.stockOf(product.id)).toBe(3);
    });

    it("holds an order the burn velocity rule holds, and refuses one it rejects (429, nothing written)", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 5, points_price: 100 });
      const { externalId } = await world.member(1_000);
      const rules = async (action: "hold" | "reject") =>
        expect(
          (
            await gw.call("PUT", `/v1/programs/${world.programId}/velocity-rules`, {
              as: gw.operator,
              body: { max_burns_per_member_per_hour: 1, actions: { max_burns_per_member_per_hour: action } },
            })
          ).status,
        ).toBe(200);
      await rules("hold");
      await world.redeemed(externalId, product.id);
      const held = expectBody(await world.redeem(externalId, product.id), op.createRedemption, 202);
      expect(await world.pendingReview(held.review_id)).toMatchObject({
        kind: "redemption",
        redemption_id: held.id,
        rule: "max_burns_per_member_per_hour",
      });
      await rules("reject");
      const refused = expectProblem(await world.redeem(externalId, product.id), 429, "burn_limit_exceeded");
      expect(refused.detail).toContain("at most 1 times per hour");
      expect(await world.stockOf(product.id)).toBe(3);
      expect(await world.balanceOf(externalId)).toBe(800);
    });

    it("holds a code order with its codes reserved and unseen; rejection voids them and gives the points back", async () => {
      const world = await redemptionWorld(gw, { review_threshold_points: 900 });
      const voucher = await world.codeReward(["HOLD-1", "HOLD-2", "HOLD-3"]);
      const { externalId } = await world.member(3_000);
      const held = expectBody(await world.redeem(externalId, voucher.id, 2), op.createRedemption, 202);
      expect(held).not.toHaveProperty("codes");
      expect(
        await gw.rows("select code, status from reward_codes where redemption_id = ? order by id", held.id),
      ).toEqual([
        { code: "HOLD-1", status: "assigned" },
        { code: "HOLD-2", status: "assigned" },
      ]);
      // Only one code is left for anyone else meanwhile.
      expectProblem(await world.redeem(externalId, voucher.id, 2), 409, "out_of_stock");

      const decided = await world.decide(held.review_id, "reject", { reason: "fraud" });
      expect(decided).toMatchObject({
        status: "rejected",
        transaction: { type: "release", points: 1_000, balance_after: 3_000 },
        redemption: { id: held.id, status: "rejected", cancel_reason: "fraud" },
      });
      expect(decided.redemption).not.toHaveProperty("codes");
      expect(await world.balanceOf(externalId)).toBe(3_000);
      expect(
        await gw.rows("select code, status from reward_codes where reward_id = ? order by id", voucher.id),
      ).toEqual([
        { code: "HOLD-1", status: "void" },
        { code: "HOLD-2", status: "void" },
        { code: "HOLD-3", status: "available" },
      ]);
      expect((await redemptionEvents(gw, held.id)).map((e) => [e.partnerId, e.type])).toEqual([
        [world.owner.id, "redemption.cancelled"],
        [world.grocer.id, "redemption.cancelled"],
      ]);
      expectProblem(await world.step("cancel", held.id, { reason: "x" }, world.owner), 409, "invalid_state");

      // Approved, a held code order is fulfilled with the codes it reserved.
      const premium = await world.codeReward(["VIP-1", "VIP-2"], { points_price: 1_000 });
      const vip = expectBody(await world.redeem(externalId, premium.id), op.createRedemption, 202);
      const approved = await world.decide(vip.review_id, "approve");
      expect(approved.redemption).toMatchObject({ status: "fulfilled", codes: ["VIP-1"] });
      expect(expectBody(await world.get(vip.id), op.getRedemption, 200)).toEqual(approved.redemption);
      expect((await redemptionEvents(gw, vip.id)).map((e) => [e.partnerId, e.type])).toEqual([
        [world.owner.id, "redemption.created"],
        [world.grocer.id, "redemption.created"],
        [world.owner.id, "redemption.fulfilled"],
        [world.grocer.id, "redemption.fulfilled"],
      ]);
      expect(await world.balanceOf(externalId)).toBe(2_000);
    });
  });

  describe("lists", () => {
    it("lists the orders each caller may see, newest or oldest first, and a member's orders", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward();
      const tote = await world.reward({ name: "Tote bag", fulfilling_partner_id: undefined });
      const { externalId } = await world.member(20_000);
      const first = await world.redeemed(externalId, product.id);
      const second = await world.redeemed(externalId, tote.id);
      const third = await world.redeemed(externalId, product.id, 1, { as: world.owner });
      expectBody(await world.step("fulfil", third.id), op.fulfilRedemption, 200);
      const ids = async (as: Parameters<typeof world.get>[1], query: string) =>
        expectBody(await gw.call("GET", `/v1/redemptions?${query}`, { as }), op.listRedemptions, 200).data.map(
          (r) => r.id,
        );
      const inProgram = `program_id=${world.programId}`;
      expect(await ids(world.owner, inProgram)).toEqual([third.id, second.id, first.id]);
      expect(await ids(gw.operator, inProgram)).toEqual([third.id, second.id, first.id]);
      expect(await ids(world.shop, inProgram), "the orders it fulfils").toEqual([third.id, first.id]);
      expect(await ids(world.grocer, inProgram), "the orders it placed").toEqual([second.id, first.id]);
      expect(await ids(world.owner, `${inProgram}&status=pending&order=oldest_first`)).toEqual([first.id, second.id]);
      expect(await ids(world.shop, `${inProgram}&status=pending`)).toEqual([first.id]);
      expect(await ids(world.shop, `${inProgram}&status=fulfilled`)).toEqual([third.id]);
      const page = expectBody(
        await gw.call("GET", `/v1/redemptions?${inProgram}&order=oldest_first&limit=2`, { as: world.owner }),
        op.listRedemptions,
        200,
      );
      expect([page.data.map((r) => r.id), page.has_more]).toEqual([[first.id, second.id], true]);
      expect(await ids(world.owner, `${inProgram}&order=oldest_first&starting_after=${second.id}`)).toEqual([third.id]);
      expect(await ids(world.owner, `${inProgram}&order=oldest_first&ending_before=${third.id}`)).toEqual([
        first.id,
        second.id,
      ]);
      const stranger = await onboardPartner(gw);
      expectProblem(await gw.call("GET", `/v1/redemptions?${inProgram}`, { as: stranger }), 404, "not_found");
      await addAgreement(gw, world.programId, stranger.id);
      expect(await ids(stranger, inProgram)).toEqual([]);
      expectProblem(await gw.call("GET", "/v1/redemptions?status=lost", { as: world.owner }), 400, "validation_failed");

      const memberList = (as: Parameters<typeof world.get>[1]) =>
        gw.call("GET", `/v1/programs/${world.programId}/members/${externalId}/redemptions`, { as });
      const mine = expectBody(await memberList(stranger), op.listMemberRedemptions, 200);
      expect(mine.data.map((r) => [r.id, r.status])).toEqual([
        [third.id, "fulfilled"],
        [second.id, "pending"],
        [first.id, "pending"],
      ]);
      expectProblem(await memberList(await onboardPartner(gw)), 404, "not_found");
    });
  });
}
