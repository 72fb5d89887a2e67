import { balanceOf } from "../../db/queries/accounts";
import { addToLifetimeEarned } from "../../db/queries/members";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { MemberAccess } from "../access";
import { refuse } from "../fraud/events";
import { earnVerdict } from "../fraud/velocity";
import { ensureNotErased } from "../privacy/erased";
import { earnPromotionEffects, promotionConstraintMeaning } from "../promotions/earn-effects";
import { earnTierEffects } from "../tiers/earn-effects";
import { accountIds, issuanceAccount, memberAccount, pointsExpireAt } from "./accounts";
import {
  type CommittedResponse,
  commitUnit,
  type IdempotencyRecord,
  type MovementPlace,
  retryingStaleWrites,
  type TransactionRow,
} from "./movement";
import { transactionBody } from "./present";

export type EarnInput = {
  access: MemberAccess;
  partnerId: string;
  points?: number;
  purchase?: { amountMinor: number; currency: string };
  reference: string;
  description?: string | null;
} & MovementPlace;

/**
 * Points for a purchase at the agreement's earn rate: floor(amount_minor * earn_points / per_amount_minor).
 * Rounded down so a member is never credited a fraction; BigInt so large amounts cannot lose precision.
 */
export function pointsForPurchase(
  amountMinor: number,
  rate: { earnPoints: number; earnPerAmountMinor: number },
): number {
  return Number((BigInt(amountMinor) * BigInt(rate.earnPoints)) / BigInt(rate.earnPerAmountMinor));
}

/**
 * The points an earn credits: `points` as given, or a `purchase` at the agreement's earn rate (400 for another
 * currency than the program's, or a purchase too small to earn a point). Simulations compute it the same way.
 */
export function earnedPoints(
  access: Pick<MemberAccess, "program" | "agreement">,
  input: Pick<EarnInput, "points" | "purchase">,
): number {
  const { program, agreement } = access;
  let points = input.points;
  if (input.purchase) {
    if (input.purchase.currency !== program.settlementCurrency)
      throw new ApiError("validation_failed", `Purchases in ${program.id} are in ${program.settlementCurrency}.`, {
        errors: [{ path: "purchase.currency", message: `must be ${program.settlementCurrency}` }],
      });
    points = pointsForPurchase(input.purchase.amountMinor, agreement);
    if (points < 1)
      throw new ApiError("validation_failed", "The purchase is too small to earn a point.", {
        errors: [
          {
            path: "purchase.amount_minor",
            message: `earns ${agreement.earnPoints} point(s) per ${agreement.earnPerAmountMinor} minor units`,
          },
        ],
      });
  }
  if (!points || !Number.isSafeInteger(points)) throw new Error("earn without points");
  return points;
}

/**
 * Earn: the program's issuance account pays the member, with the bonuses and tier move of the program's tiers
 * (domain/tiers/earn-effects.ts) and the awards of its promotions (domain/promotions/earn-effects.ts), in one atomic
 * write with its events. Both plan optimistically and are planned again, together, when the write is refused for
 * stale facts.
 */
export async function earn(
  deps: Pick<Deps, "writer" | "reader" | "db" | "clock" | "realClock" | "ids" | "limiter" | "log">,
  input: EarnInput,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { program } = input.access;
  const member = input.access.member;
  ensureNotErased(member);
  const points = earnedPoints(input.access, input);
  const verdict = await earnVerdict(deps, input.access, points);
  if (verdict.action === "reject")
    await refuse(deps, verdict, {
      operation: "earn",
      partnerId: input.partnerId,
      programId: program.id,
      memberId: member.id,
      points,
    });
  let planned = false;
  return retryingStaleWrites(async () => {
    // A write planned again was refused for stale facts: read the tier table anew too.
    const fresh = planned;
    planned = true;
    const now = deps.clock.now();
    const transaction: TransactionRow = {
      id: deps.ids("txn"),
      type: "earn",
      programId: program.id,
      memberId: member.id,
      partnerId: input.partnerId,
      points,
      reference: input.reference,
      description: input.description ?? null,
      channel: input.channel ?? null,
      storeId: input.storeId ?? null,
      originalTransactionId: null,
      expiresAt: pointsExpireAt(program, now),
      purchaseAmountMinor: input.purchase?.amountMinor ?? null,
      purchaseCurrency: input.purchase?.currency ?? null,
      createdAt: now,
    };
    const cause = { program, member, earn: transaction, partnerId: input.partnerId };
    const [tiers, promotions] = await Promise.all([
      program.tierWindowDays === null ? undefined : earnTierEffects(deps, cause, fresh),
      earnPromotionEffects(deps, cause, fresh),
    ]);
    const bonuses = [...(tiers?.bonuses ?? []), ...(promotions?.bonuses ?? [])];
    // The answer speaks of this member: a referrer's bonus, written in the same unit, is the referrer's to see.
    const own = bonuses.filter((bonus) => bonus.transaction.memberId === member.id);
    const ownIds = new Set(own.map((bonus) => bonus.transaction.id));
    const body = {
      ...transactionBody(transaction, member),
      balance_after: 0,
      bonus_points: own.reduce((sum, bonus) => sum + bonus.transaction.points, 0),
      bonuses: [...(tiers?.lines ?? []), ...(promotions?.lines ?? [])].filter((line) =>
        ownIds.has(line.transaction_id),
      ),
    };
    const balanceAccountId = accountIds.member(member.id);
    return commitUnit(
      deps.writer,
      {
        postings: [
          {
            transaction,
            legs: [
              { account: issuanceAccount(program.id), amount: -points },
              { account: memberAccount(program.id, member.id), amount: points },
            ],
            balanceAccountId,
          },
          ...bonuses,
        ],
        guards: [addToLifetimeEarned(member.id, points)],
        effects: [...(tiers?.statements ?? []), ...(promotions?.statements ?? [])],
        events: [
          ...[...new Set([input.partnerId, program.partnerId])].map((partnerId) => ({
            id: deps.ids("evt"),
            partnerId,
            type: "points.earned" as const,
            at: now,
          })),
          ...(tiers?.events ?? []),
          ...(promotions?.events ?? []),
        ],
        body,
        // The member's balance as the write leaves it: the earn and its bonuses.
        bodyPatches: [{ path: "$.balance_after", ...balanceOf(balanceAccountId) }],
        status: 201,
        idempotency,
      },
      promotionConstraintMeaning,
    );
  });
}
