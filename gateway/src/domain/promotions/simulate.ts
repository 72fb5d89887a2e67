import { findMemberAccess } from "../../db/queries/access";
import { findDraftPromotions } from "../../db/queries/draft-promotions";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { BonusLine } from "../ledger/bonuses";
import { earnedPoints } from "../ledger/earn";
import type { TransactionRow } from "../ledger/movement";
import { type Caller, managedProgram } from "../programs";
import { earnTierEffects } from "../tiers/earn-effects";
import { freshActivePromotions } from "./active";
import { evaluationInput } from "./context";
import { promotionOf } from "./definition";
import { type Evaluation, evaluatePromotions } from "./evaluate";

/** An earn to try: the member, its points or purchase, and when, by whom and where it would happen. */
export type SimulationInput = {
  externalId: string;
  points?: number;
  purchase?: { amountMinor: number; currency: string };
  /** Default: now (the business clock). */
  at?: Date;
  /** The earning partner. Default: the caller, or for the operator the program's owner. */
  partnerId?: string;
  channel?: string | null;
  /** Try the program's drafts too, as if they were active. */
  includeDrafts?: boolean;
};

/** What the earn would pay: its own points, each bonus (tiers' first, as the earn lists them) and what was skipped. */
export type Simulation = {
  base_points: number;
  bonuses: Omit<BonusLine, "transaction_id">[];
  skipped: Evaluation["skipped"];
};

const notEarning = (partnerId: string, why: string) =>
  new ApiError("validation_failed", `Partner ${partnerId} ${why}.`, { errors: [{ path: "partner_id", message: why }] });

/**
 * What an earn would pay the member now (or at `at`), writing nothing: the same points, the same tier bonuses
 * (planned from fresh reads, so an earn crossing a tier minimum shows the upgrade bonus) and the same promotion
 * evaluation (`evaluatePromotions` on the same reads) as the earn itself, so the two cannot disagree; plus the
 * promotions it would skip and why. Budgets and member limits are as they stand now. For the program's owner and the
 * operator; the earning partner needs an agreement in force at `at` that lets it earn (400 at `partner_id`).
 */
export async function simulateEarn(
  deps: Pick<Deps, "db" | "reader" | "clock" | "ids">,
  caller: Caller,
  programId: string,
  input: SimulationInput,
): Promise<Simulation> {
  const program = await managedProgram(deps, caller, programId);
  const at = input.at ?? deps.clock.now();
  const partnerId = input.partnerId ?? caller.partnerId ?? program.partnerId;
  const access = await findMemberAccess(deps.reader, program.id, input.externalId, partnerId, at);
  if (!access) throw notEarning(partnerId, "has no agreement in force in this program");
  if (!access.agreement.canEarn) throw notEarning(partnerId, "may not earn in this program");
  const { member } = access;
  if (!member) throw new ApiError("not_found", `No member ${input.externalId} in program ${program.id}.`);
  const points = earnedPoints(access, input);

  const earn: TransactionRow = {
    id: deps.ids("txn"),
    type: "earn",
    programId: program.id,
    memberId: member.id,
    partnerId,
    points,
    reference: "simulation",
    description: null,
    channel: input.channel ?? null,
    storeId: null,
    originalTransactionId: null,
    expiresAt: null,
    purchaseAmountMinor: input.purchase?.amountMinor ?? null,
    purchaseCurrency: input.purchase?.currency ?? null,
    createdAt: at,
  };
  const [tiers, active, drafts] = await Promise.all([
    program.tierWindowDays === null
      ? undefined
      : earnTierEffects(deps, { program: access.program, member, earn, partnerId }, true),
    freshActivePromotions(deps.reader, program.id),
    input.includeDrafts ? findDraftPromotions(deps.reader, program.id) : [],
  ]);
  const promotions = [
    ...active.promotions,
    ...drafts.map((row) => ({ ...promotionOf(row), status: "active" as const })),
  ];
  const read = await evaluationInput(deps, {
    program: access.program,
    member,
    promotions,
    event: {
      kind: "earn",
      at,
      partnerId,
      channel: earn.channel ?? null,
      points,
      amountMinor: earn.purchaseAmountMinor,
      firstEarn: false,
    },
  });
  const evaluation = evaluatePromotions(promotions, read.context, read.event);
  const tierLines = (tiers?.lines ?? []).map(({ transaction_id: _, ...line }) => line);
  // As the earn answers: this member's bonuses (a referral's bonus to the referrer is the referrer's).
  const awardLines = evaluation.awards
    .filter((award) => award.recipientMemberId === member.id)
    .map((award) => ({ source: "promotion" as const, source_id: award.promotion.id, points: award.points }));
  return { base_points: points, bonuses: [...tierLines, ...awardLines], skipped: evaluation.skipped };
}
