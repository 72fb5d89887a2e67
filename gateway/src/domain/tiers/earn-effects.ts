import {
  assertTierPlan,
  findMemberTierState,
  setMemberTierStatements,
  wasUpgradeBonusPaid,
} from "../../db/queries/tiers";
import type { SqlReader } from "../../db/reader";
import type { Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { type BonusLine, bonusPosting } from "../ledger/bonuses";
import type { Posting, TransactionRow } from "../ledger/movement";
import type { Member } from "../members";
import type { OutboxEvent } from "../outbox";
import type { Program } from "../programs";
import { heldUntil, positionOf, qualifyingPosition, type TierTable, windowStart, withEarn } from "./qualify";
import { freshTierTable, recentTierTable } from "./table-read";

/** What tiers add to an earn's atomic write. */
export type EarnTierEffects = {
  /** The accrual bonus of the tier held before the earn, and the upgrade bonus of a tier it reaches. */
  bonuses: Posting[];
  /** Follow the earn's posting: the member's move up, and the assertion that the plan still holds. */
  statements: Statement[];
  events: OutboxEvent[];
  lines: BonusLine[];
};

/** Where the member stands before the earn: its tier (the position held) and the tier the earn leaves it in. */
type Placement = { tierKey: string | null; held: number; target: number };

/**
 * The member's placement as the earn's write will assert it. The first plan is optimistic and reads nothing: the
 * tier as the request's access read gave it, and no move, since an earn rarely crosses a minimum; the write's
 * assertion refuses it if the earn does. Planning again (`fresh`) reads the member's activity and the table anew
 * and plans the move up.
 */
async function placement(
  reader: SqlReader,
  table: TierTable,
  input: { member: Member; earn: TransactionRow },
  fresh: boolean,
): Promise<Placement | undefined> {
  const { member, earn } = input;
  if (!fresh) {
    const held = positionOf(table.tiers, member.tierKey);
    return { tierKey: member.tierKey, held, target: held };
  }
  const state = await findMemberTierState(reader, member.id, windowStart(table, earn.createdAt));
  if (!state) return undefined;
  const held = positionOf(table.tiers, state.tierKey);
  const activity = withEarn(state.activity, earn.points, earn.purchaseAmountMinor);
  return { tierKey: state.tierKey, held, target: Math.max(held, qualifyingPosition(table.tiers, activity)) };
}

/**
 * Plans what the program's tiers do to an earn: the accrual bonus (`earn_bonus_bps` of the tier held before it),
 * and, when the earn lifts the member's qualifying activity into a higher tier, the move up (held for the window)
 * with that tier's upgrade bonus, unless that member was ever paid it. The write asserts what the plan assumed
 * (the member's tier, the table's version, the tier the activity with this earn qualifies for); when it no longer
 * holds (the earn crosses a minimum, or a concurrent earn moved the member first) the write fails with
 * `StaleWrite` and the earn plans again with `fresh` reads: so exactly one earn pays an upgrade bonus, however
 * many cross at once. Undefined for a program without tiers.
 */
export async function earnTierEffects(
  deps: Pick<Deps, "reader" | "ids">,
  input: { program: Program; member: Member; earn: TransactionRow; partnerId: string },
  /** Plan from fresh reads rather than optimistically: a write planned before was refused. */
  fresh: boolean,
): Promise<EarnTierEffects | undefined> {
  const { program, member, earn } = input;
  const table = await (fresh ? freshTierTable : recentTierTable)(deps.reader, program.id);
  if (!table) return undefined;
  const since = windowStart(table, earn.createdAt);
  const placed = await placement(deps.reader, table, input, fresh);
  if (!placed) return undefined;
  const { held, target } = placed;
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
      tierKey: placed.tierKey,
      heldPosition: held,
      targetPosition: target,
      since,
    }),
  ];
  const events: OutboxEvent[] = [];
  if (target > held) {
    if (targetTier.upgradeBonusPoints > 0 && !(await wasUpgradeBonusPaid(deps.reader, member.id, targetTier.key)))
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
          fromKey: placed.tierKey,
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
      from: placed.tierKey,
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
