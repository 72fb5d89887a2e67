import { expect } from "vitest";
import { addAgreement, newKey, onboardPartner, setupProgram, unique } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Credential } from "./target";

export type RedeemOptions = { as?: Credential; key?: string; delivery?: Record<string, unknown> };
export type Step = "fulfil" | "cancel" | "return";

export const delivery = {
  name: "Ana Souza",
  address_lines: ["Rua Augusta 1200", "Apto 52"],
  city: "São Paulo",
  postal_code: "01304-001",
  country: "BR",
};

/**
 * A program (issue 12,000 micros, redeem 10,000) with a shop that fulfils its products (an agreement redeeming at
 * 9,000) and a grocer that places orders for members (redeeming at 8,000): rewards made through the catalogue's API,
 * orders and their steps through the redemptions API.
 */
export async function redemptionWorld(gw: Gateway, overrides: Record<string, unknown> = {}) {
  const program = await setupProgram(gw, {
    name: "Harbor Rewards",
    issue_price_micros: 12_000,
    redeem_price_micros: 10_000,
    ...overrides,
  });
  const shop = await onboardPartner(gw, { name: "Shop" });
  await addAgreement(gw, program.programId, shop.id, { issue_price_micros: 11_000, redeem_price_micros: 9_000 });
  const grocer = await onboardPartner(gw, { name: "Grocer" });
  await addAgreement(gw, program.programId, grocer.id, { issue_price_micros: 11_000, redeem_price_micros: 8_000 });

  /** A reward of the program (an active product at 1,500 points the shop fulfils, unless told), made by the owner. */
  const reward = async (fields: Record<string, unknown> = {}) =>
    expectBody(
      await gw.call("POST", `/v1/programs/${program.programId}/rewards`, {
        as: program.owner,
        body: {
          sku: unique("SKU"),
          name: "Espresso machine",
          type: "product",
          points_price: 1_500,
          fulfilment: "partner",
          fulfilling_partner_id: shop.id,
          active: true,
          ...fields,
        },
      }),
      op.createReward,
      201,
    );
  /** A `code` voucher reward at 500 points (its owner fulfils it) holding `codes`. */
  const codeReward = async (codes: string[], fields: Record<string, unknown> = {}) => {
    const made = await reward({
      name: "Cinema voucher",
      type: "voucher",
      points_price: 500,
      fulfilment: "code",
      fulfilling_partner_id: undefined,
      ...fields,
    });
    const uploaded = expectBody(
      await gw.call("POST", `/v1/rewards/${made.id}/codes`, { as: program.owner, body: { codes } }),
      op.uploadRewardCodes,
      200,
    );
    expect(uploaded.added).toBe(codes.length);
    return made;
  };
  /** A new member holding `points` (earned by the owner). */
  const member = async (points = 0) => {
    const enrolled = await program.enrol();
    if (points > 0) await program.earn(enrolled.externalId, points);
    return enrolled;
  };
  /** Places an order (as the grocer unless told); answers whatever the gateway answered. */
  const redeem = (externalId: string, rewardId: string, quantity = 1, options: RedeemOptions = {}) =>
    gw.call("POST", "/v1/redemptions", {
      as: options.as ?? grocer,
      headers: { "Idempotency-Key": options.key ?? newKey() },
      body: {
        program_id: program.programId,
        external_id: externalId,
        reward_id: rewardId,
        quantity,
        ...(options.delivery && { delivery: options.delivery }),
      },
    });
  /** Places an order expecting it placed (201). */
  const redeemed = async (externalId: string, rewardId: string, quantity = 1, options: RedeemOptions = {}) =>
    expectBody(await redeem(externalId, rewardId, quantity, options), op.createRedemption, 201);
  /** A step of an order (as the shop unless told); answers whatever the gateway answered. */
  const step = (verb: Step, id: string, body?: Record<string, unknown>, as: Credential = shop, key?: string) =>
    gw.call("POST", `/v1/redemptions/${id}/${verb}`, {
      as,
      body,
      ...(key && { headers: { "Idempotency-Key": key } }),
    });
  const get = (id: string, as: Credential = program.owner) => gw.call("GET", `/v1/redemptions/${id}`, { as });
  /** The reward's stock as the database holds it. */
  const stockOf = async (rewardId: string) =>
    (await gw.rows<{ stock: number | null }>("select stock from rewards where id = ?", rewardId))[0]?.stock;
  const balanceOf = async (externalId: string) => (await program.balance(externalId)).available;
  /** A pending review as the operator's queue lists it. */
  const pendingReview = async (id: string | null) =>
    expectBody(
      await gw.call("GET", "/v1/reviews?status=pending&limit=100", { as: gw.operator }),
      op.listReviews,
      200,
    ).data.find((review) => review.id === id);
  /** Approves or rejects a review as the operator, expecting it decided. */
  const decide = async (id: string | null, verb: "approve" | "reject", body?: { reason: string }) =>
    expectBody(
      await gw.call("POST", `/v1/reviews/${id}/${verb}`, { as: gw.operator, body }),
      verb === "approve" ? op.approveReview : op.rejectReview,
      200,
    );
  return {
    ...program,
    shop,
    grocer,
    reward,
    codeReward,
    member,
    redeem,
    redeemed,
    step,
    get,
    stockOf,
    balanceOf,
    pendingReview,
    decide,
  };
}

export type RedemptionWorld = Awaited<ReturnType<typeof redemptionWorld>>;

/** The events of a redemption: [recipient, type] in the order written, and their payloads. */
export async function redemptionEvents(gw: Gateway, redemptionId: string) {
  const rows = await gw.rows<{ partner_id: string; type: string; payload: string }>(
    `select partner_id, type, payload from events
     where type like 'redemption.%' and json_extract(payload, '$.data.id') = ? order by rowid`,
    redemptionId,
  );
  return rows.map((row) => ({
    partnerId: row.partner_id,
    type: row.type,
    data: JSON.parse(row.payload).data as unknown,
  }));
}
