import { listChallengesInForce } from "../../db/queries/member-challenges";
import type { Deps } from "../../deps";
import type { MemberAccess } from "../access";
import { groupOf } from "./control-group";
import { type Challenge, promotionOf } from "./definition";

/** A challenge as the member's pages show it: what it asks, how far the member is, what it pays. */
export type MemberChallenge = {
  promotionId: string;
  name: string;
  endsAt: Date | null;
  target: Challenge;
  progress: { earns: number; spendMinor: number };
  completedAt: Date | null;
  bonusPoints: number;
};

/**
 * The challenges in force in the member's program with the member's progress (none yet: zero). A member held out of
 * a challenge (its control group) is not shown it: it could never be paid, and being told would spoil the
 * comparison the control group is for. Nor is a challenge whose audience names tiers the member does not hold,
 * unless an earn already counted towards it; the rest of the audience (segments, partners, channels) is a matter of
 * each earn, decided when it happens.
 */
export async function memberChallenges(
  deps: Pick<Deps, "reader" | "clock">,
  access: Pick<MemberAccess, "program" | "member">,
): Promise<MemberChallenge[]> {
  const { program, member } = access;
  const rows = await listChallengesInForce(deps.reader, program.id, member.id, deps.clock.now());
  return rows.flatMap(({ promotion: row, progress }) => {
    const promotion = promotionOf(row);
    if ((progress?.group ?? groupOf(promotion, member.id)) === "control") return [];
    const tiers = promotion.audience?.tiers;
    if (!progress && tiers && !(member.tierKey !== null && tiers.includes(member.tierKey))) return [];
    return [
      {
        promotionId: promotion.id,
        name: promotion.name,
        endsAt: promotion.endsAt,
        target: promotion.challenge ?? {},
        progress: { earns: progress?.earns ?? 0, spendMinor: progress?.spendMinor ?? 0 },
        completedAt: progress?.completedAt ?? null,
        bonusPoints: "bonus_points" in promotion.reward ? promotion.reward.bonus_points : 0,
      },
    ];
  });
}
