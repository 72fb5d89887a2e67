import { insertFraudEventStatement } from "../../db/queries/fraud";
import {
  assignCodesStatements,
  codesPatch,
  eligibleStatement,
  insertRedemptionStatement,
  memberLimitStatement,
  type RedemptionRow,
  takeStockStatement,
} from "../../db/queries/redemptions";
import { refusalOf } from "../../db/queries/refusals";
import { insertReviewStatement } from "../../db/queries/reviews";
import { findRewardWithStock } from "../../db/queries/rewards";
import type { ConstraintViolation, Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { MemberAccess } from "../access";
import { refuse } from "../fraud/events";
import { burnVerdict, type Verdict } from "../fraud/velocity";
import { holdEventStatements } from "../ledger/hold-events";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import type { Member } from "../members";
import type { EventType } from "../outbox";
import { ensureNotErased } from "../privacy/erased";
import { fulfillingPartnerOf, type Reward, rewardOf } from "../rewards/reward";
import { redemptionPosting } from "./postings";
import { type Delivery, redemptionBody, redemptionRecipients } from "./redemption";

export type PlaceRedemptionInput = {
  access: MemberAccess;
  /** The partner placing the order (its agreement allows burning). */
  partnerId: string;
  rewardId: string;
  quantity: number;
  delivery: Delivery | null;
};

/**
 * Places a redemption order in one atomic write: the member's burn to the fulfilling partner, the reward's stock
 * (or, for a `code` reward, its oldest available codes), the order, its events and the idempotency record. What
 * decides the outcome is asserted inside the write, so concurrent orders can neither oversell the stock, hand out
 * a code twice, pass the member's limit nor overdraw the member: 409 `out_of_stock`, `limit_exceeded`,
 * `insufficient_points`; 403 `not_eligible` for an inactive reward, one outside its dates (business time) or a
 * tier it is not for. A `code` reward is fulfilled at once, with its codes; others wait for the fulfilling partner
 * (`pending`). The burn velocity rules and the program's review threshold may hold it: the points go to the
 * member's hold, stock and codes stay reserved, a review of kind `redemption` opens, and the answer is 202.
 */
export async function placeRedemption(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "realClock" | "ids" | "limiter" | "log">,
  input: PlaceRedemptionInput,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { program, member } = input.access;
  ensureNotErased(member);
  const found = await findRewardWithStock(deps.reader, input.rewardId);
  if (!found || found.reward.programId !== program.id)
    throw new ApiError("not_found", `No reward ${input.rewardId} in program ${program.id}.`);
  const reward = rewardOf(found.reward);
  const now = deps.clock.now();
  ensureEligible(reward, member, now);
  // A cheap early answer; the write decides (another order may take what is left meanwhile).
  if (found.available !== null && found.available < input.quantity)
    throw outOfStock(reward, input.quantity, found.available);
  const points = reward.pointsPrice * input.quantity;
  const context = {
    operation: "burn" as const,
    partnerId: input.partnerId,
    programId: program.id,
    memberId: member.id,
    points,
  };
  const verdict = await burnVerdict(deps, input.access, points);
  if (verdict.action === "reject") await refuse(deps, verdict, context);
  const held = verdict.action === "hold";
  const codes = reward.fulfilment === "code";

  const redemption: RedemptionRow = {
    id: deps.ids("rdm"),
    programId: program.id,
    memberId: member.id,
    rewardId: reward.id,
    partnerId: input.partnerId,
    fulfillingPartnerId: fulfillingPartnerOf(reward, program.partnerId),
    quantity: input.quantity,
    points,
    status: held ? "held" : codes ? "fulfilled" : "pending",
    transactionId: deps.ids("txn"),
    reviewId: held ? deps.ids("rev") : null,
    delivery: input.delivery && JSON.stringify(input.delivery),
    trackingReference: null,
    cancelReason: null,
    createdAt: now,
    updatedAt: now,
    fulfilledAt: codes && !held ? now : null,
    cancelledAt: null,
    returnedAt: null,
  };
  const body = redemptionBody({ redemption, externalId: member.externalId, reward, codes: [] });
  const recipients = redemptionRecipients({ redemption, ownerId: program.partnerId });
  // A held order is announced when its review approves it (domain/redemptions/review.ts); its hold, now.
  const types: EventType[] = held
    ? []
    : codes
      ? ["redemption.created", "redemption.fulfilled"]
      : ["redemption.created"];
  const posting = redemptionPosting(held ? "hold" : "burn", redemption, {
    transactionId: redemption.transactionId,
    description: reward.name,
    original: null,
    at: now,
  });
  return commitUnit(
    deps.writer,
    {
      guards: [
        eligibleStatement(reward.id, member.id, now),
        ...(codes
          ? assignCodesStatements(reward.id, redemption.id, input.quantity, now)
          : [takeStockStatement(reward.id, input.quantity)]),
        ...(verdict.action === "hold" ? reviewStatements(deps, redemption, verdict, context, reward.name) : []),
      ],
      postings: [posting],
      effects: [
        insertRedemptionStatement(redemption),
        memberLimitStatement(member.id, reward.id),
        // A held order moves the points into the member's hold: that movement is announced now.
        ...(held
          ? holdEventStatements(deps, {
              type: "points.held",
              transaction: posting.transaction,
              externalId: member.externalId,
              recipients,
              at: now,
            })
          : []),
      ],
      events: types.flatMap((type) =>
        recipients.map((partnerId) => ({ id: deps.ids("evt"), partnerId, type, at: now })),
      ),
      body,
      bodyPatches: "codes" in body ? [codesPatch(redemption.id)] : [],
      status: held ? 202 : 201,
      idempotency,
    },
    (violation) => placementRefused(violation, reward, input.quantity),
  );
}

/** 403 `not_eligible` unless the member may redeem the reward at `now` (business time). */
export function ensureEligible(reward: Reward, member: Member, now: Date): void {
  const refuse = (why: string) => {
    throw new ApiError("not_eligible", `Reward ${reward.id} ${why}.`);
  };
  if (!reward.active) refuse("is not active");
  if (reward.availableFrom && now < reward.availableFrom)
    refuse(`is available from ${reward.availableFrom.toISOString()}`);
  if (reward.availableUntil && now >= reward.availableUntil)
    refuse(`was available until ${reward.availableUntil.toISOString()}`);
  if (reward.tiers && !(member.tierKey !== null && reward.tiers.includes(member.tierKey)))
    refuse(
      `is for the tiers ${reward.tiers.join(", ")}; the member ${member.tierKey === null ? "has no tier" : `is ${member.tierKey}`}`,
    );
}

const outOfStock = (reward: Reward, quantity: number, left?: number) =>
  new ApiError(
    "out_of_stock",
    `Reward ${reward.id} has ${left === undefined ? "fewer" : left} unit(s) left; the order asked for ${quantity}.`,
  );

/** The problem of a placement its write refused. */
function placementRefused(violation: ConstraintViolation, reward: Reward, quantity: number): ApiError | undefined {
  if (violation.constraint === "rewards_in_stock") return outOfStock(reward, quantity);
  const reason = refusalOf(violation);
  if (reason === "out_of_stock") return outOfStock(reward, quantity);
  if (reason === "limit_exceeded")
    return new ApiError(
      "limit_exceeded",
      `A member may redeem at most ${reward.perMemberLimit ?? "the reward's limit of"} unit(s) of reward ${reward.id} ` +
        `(held, pending and fulfilled orders count); this order of ${quantity} would pass it.`,
    );
  if (reason === "not_eligible")
    return new ApiError("not_eligible", `Reward ${reward.id} is no longer available to this member.`);
  return undefined;
}

/** A held order's review (kind `redemption`) and its fraud event, in the same write as the hold. */
function reviewStatements(
  deps: Pick<Deps, "ids">,
  redemption: RedemptionRow,
  verdict: Extract<Verdict, { action: "hold" }>,
  context: { partnerId: string; programId: string; memberId: string; points: number },
  rewardName: string,
): Statement[] {
  const reviewId = redemption.reviewId as string;
  return [
    insertReviewStatement({
      id: reviewId,
      kind: "redemption",
      redemptionId: redemption.id,
      ...context,
      rule: verdict.rule,
      reason: verdict.reason,
      holdTransactionId: redemption.transactionId,
      reference: redemption.id,
      description: rewardName,
      createdAt: redemption.createdAt,
    }),
    insertFraudEventStatement({
      id: deps.ids("fev"),
      rule: verdict.rule,
      decision: "held",
      operation: "burn",
      ...context,
      detail: verdict.reason,
      reviewId,
      at: redemption.createdAt,
    }),
  ];
}
