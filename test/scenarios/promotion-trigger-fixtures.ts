import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { newKey, setupProgram, unique } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Credential } from "./target";
import { tieredProgram } from "./tier-fixtures";

// Factories of the trigger and simulation scenarios (promotions-triggers.ts): a program whose promotions are made
// through the API, and what the scenarios read of it.

export const dayMs = 86_400_000;

/** The contract's control-group bucket, computed here from its formula rather than the gateway's code. */
export function controlBucket(promotionId: string, memberId: string): number {
  const digest = sha256(utf8ToBytes(`${promotionId}:${memberId}`));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) % 10_000;
}

/** A bonus line without its transaction id: what a simulation and the earn it predicts have in common. */
export const withoutIds = (bonuses: readonly { transaction_id: string }[]) =>
  bonuses.map(({ transaction_id: _, ...line }) => line);

type Program = Awaited<ReturnType<typeof setupProgram>>;

/**
 * Helpers over a program (plain or tiered): promotions made active from yesterday unless told, activities,
 * simulations, purchases, a promotion's budget used, the member's challenges, and the exposures written.
 */
function promotionHelpers(gw: Gateway, program: Program) {
  const { owner, programId } = program;
  const since = () => new Date(gw.clock.now().getTime() - dayMs).toISOString();
  /** Creates a promotion (active, from yesterday, unless `definition` says), expecting it created. */
  const promote = async (definition: Record<string, unknown>) =>
    expectBody(
      await gw.call("POST", `/v1/programs/${programId}/promotions`, {
        as: owner,
        body: { name: unique("Promotion"), status: "active", starts_at: since(), ...definition },
      }),
      op.createPromotion,
      201,
    );
  const budgetUsed = async (promotionId: string) =>
    expectBody(await gw.call("GET", `/v1/promotions/${promotionId}`, { as: owner }), op.getPromotion, 200).budget.used;
  /** Records an activity; answers whatever the gateway answered. */
  const act = (
    externalId: string,
    type: string,
    reference: string,
    options: { key?: string; as?: Credential; programId?: string } = {},
  ) =>
    gw.call("POST", "/v1/activities", {
      as: options.as ?? owner,
      headers: { "Idempotency-Key": options.key ?? newKey() },
      body: { program_id: options.programId ?? programId, external_id: externalId, type, reference },
    });
  const activity = async (externalId: string, type: string, reference = unique("ref")) =>
    expectBody(await act(externalId, type, reference), op.recordActivity, 201);
  const simulate = (body: Record<string, unknown>, as: Credential = owner) =>
    gw.call("POST", `/v1/programs/${programId}/promotions/simulate`, { as, body });
  const simulated = async (body: Record<string, unknown>) =>
    expectBody(await simulate(body), op.simulatePromotions, 200);
  /** Earns for a purchase in USD (1 point per 100 minor units at the owner's agreement). */
  const purchase = async (externalId: string, amountMinor: number, extra: Record<string, unknown> = {}) =>
    expectBody(
      await gw.call("POST", "/v1/transactions/earn", {
        as: owner,
        headers: { "Idempotency-Key": newKey() },
        body: {
          program_id: programId,
          external_id: externalId,
          purchase: { amount_minor: amountMinor, currency: "USD" },
          reference: unique("order"),
          ...extra,
        },
      }),
      op.earnPoints,
      201,
    );
  const challenges = async (externalId: string, as: Credential = owner) =>
    expectBody(
      await gw.call("GET", `/v1/programs/${programId}/members/${externalId}/challenges`, { as }),
      op.listMemberChallenges,
      200,
    ).data;
  const exposures = (promotionId: string) =>
    gw.rows<{ member_id: string; group: string; points_awarded: number; awards: number }>(
      `select member_id, "group", points_awarded, awards from promotion_members where promotion_id = ? order by member_id`,
      promotionId,
    );
  /** A member of the program whose bucket in `promotionId` is below `bps`, or not (`held: false`). */
  const enrolHeld = async (promotionId: string, bps: number, held = true) => {
    for (let tries = 0; tries < 100; tries++) {
      const member = await program.enrol();
      if (controlBucket(promotionId, member.id) < bps === held) return member;
    }
    throw new Error("no member landed in the group asked for in 100 tries");
  };
  return { promote, budgetUsed, act, activity, simulate, simulated, purchase, challenges, exposures, enrolHeld };
}

/** A program owned by a new partner, with the promotion helpers. */
export async function promotionProgram(gw: Gateway, overrides: Record<string, unknown> = {}) {
  const program = await setupProgram(gw, overrides);
  return { ...program, ...promotionHelpers(gw, program) };
}

/** A tiered program (tier-fixtures.ts: blue, silver at 1,000 points with 25% accrual, gold), with the helpers. */
export async function tieredPromotionProgram(gw: Gateway) {
  const program = await tieredProgram(gw);
  return { ...program, ...promotionHelpers(gw, program) };
}
