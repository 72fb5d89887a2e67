import { assertTierPlan, findMemberTierState, setMemberTierStatements } from "../../db/queries/tiers";
import type { Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { type BonusLine, bonusPosting } from "../ledger/bonuses";
import type { Posting, TransactionRow } from "../ledger/movement";
import type { Member } from "../members";
import type { OutboxEvent } from "../outbox";
import type { Program } from "../programs";
import { heldUntil, positionOf, qualifyingPosition, windowStart, withEarn } from "./qualify";
import { tierTableOf } from "./table-read";

/** What tiers add to an earn's atomic write. */
export type EarnTierEffects = {
  /** The accrual bonus of the tier held before the earn, and the upgrade bonus of a tier it reaches. */
  bonuses: Posting[];
  /** Follow the earn's posting: the member's move up, and the assertion that the plan still holds. */
  statements: Statement[];
  events: OutboxEvent[];
  lines: BonusLine[];
};

/**
 * Plans what the program's tiers do to an earn, from reads made before the write: the accrual bonus
 * (`earn_bonus_bps` of the tier held before it), and, when the earn lifts the member's qualifying activity into a
 * higher tier, the move up (held for the window) with that tier's upgrade bonus, unless that member was ever paid
 * it. The write asserts what the plan read; a concurrent earn that moved the member first makes it fail with
 * `StaleWrite`, and the earn plans again: so exactly one earn pays an upgrade bonus, however many cross at once.
 * Undefined for a program without tiers.
 */
export async function earnTierEffects(
  deps: Pick<Deps, "reader" | "ids">,
  input: { program: Program; member: Member; earn: TransactionRow; partnerId: string },
): Promise<EarnTierEffects | undefined> {
  const { program, member, earn } = input;
  // Both reads at once, the member's over the window the program row read before gave; read again if the table
  // says otherwise (it changed since).
  const stateOver = (windowDays: number) =>
    findMemberTierState(deps.reader, member.id, windowStart({ windowDays }, earn.createdAt));
  const assumed = program.tierWindowDays;
  const [table, assumedState] = await Promise.all([
    tierTableOf(deps.reader, program.id),
    assumed === null ? undefined : stateOver(assumed),
  ]);
  if (!table) return undefined;
  const since = windowStart(table, earn.createdAt);
  const state = table.windowDays === assumed ? assumedState : await stateOver(table.windowDays);
  if (!state) return undefined;
  const held = positionOf(table.tiers, state.tierKey);
  const activity = withEarn(state.activity, earn.points, earn.purchaseAmountMinor);
  const target = Math.max(held, qualifyingPosition(table.tiers, activity));
  const heldTier = table.tiers[held];
  const targetTier = table.tiers[target];
  if (!heldTier || !targetTier) throw new Error(`tier position out of range in ${program.id}`);

  const bonuses: Posting[] = [];
  const accrual = Number((BigInt(earn.points) * BigInt(heldTier.earnBonusBps)) / 10_000n);
  if (accrual > 0)
    bonuses.push(
      bonusPosting(earn, program, { id: deps.ids("txn"), source: "tier", sourceId: heldTier.key, points: accrual }),
    );
  // First, before the move below changes what it reads.
  const statements: Statement[] = [
    assertTierPlan({
      programId: program.id,
      memberId: member.id,
      tableVersion: table.version,
      tierKey: state.tierKey,
      heldPosition: held,
      targetPosition: target,
      since,
    }),
  ];
  const events: OutboxEvent[] = [];
  if (target > held) {
    if (targetTier.upgradeBonusPoints > 0 && !state.upgradeBonusesPaid.has(targetTier.key))
      bonuses.push(
        bonusPosting(earn, program, {
          id: deps.ids("txn"),
          source: "tier_upgrade",
          sourceId: targetTier.key,
          points: targetTier.upgradeBonusPoints,
        }),
      );
    statements.push(
      ...setMemberTierStatements(
        {
          id: deps.ids("mtc"),
          programId: program.id,
          memberId: member.id,
          fromKey: state.tierKey,
          toKey: targetTier.key,
          reason: "qualified",
          note: null,
          actor: null,
          at: earn.createdAt,
        },
        heldUntil(table, earn.createdAt),
      ),
    );
    const data = {
      program_id: program.id,
      external_id: member.externalId,
      from: state.tierKey,
      to: targetTier.key,
      reason: "qualified",
    };
    for (const partnerId of new Set([program.partnerId, member.enrolledBy, input.partnerId]))
      events.push({ id: deps.ids("evt"), partnerId, type: "member.tier_changed", data, at: earn.createdAt });
  }

  const lines = bonuses.map(({ transaction }) => ({
    transaction_id: transaction.id,
    source: transaction.bonusSource as BonusLine["source"],
    source_id: transaction.bonusSourceId as string,
    points: transaction.points,
  }));
  return { bonuses, statements, events, lines };
}
