import { ManualClock } from "../gateway/src/clock";
import type { Deps } from "../gateway/src/deps";
import { memberAccess } from "../gateway/src/domain/access";
import { burn } from "../gateway/src/domain/ledger/burn";
import { earn } from "../gateway/src/domain/ledger/earn";
import { enrolMember } from "../gateway/src/domain/members";
import type { Program } from "../gateway/src/domain/programs";
import { createIds } from "../gateway/src/ids";
import { toMember } from "../gateway/src/routes/members/schemas";

/** A small deterministic generator, so every demo database tells the same story. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

/** The external id of a demo member: its program's prefix and its number, as in `SK-000042`. */
export const memberExternalId = (prefix: string, number: number) => `${prefix}-${String(number).padStart(6, "0")}`;

/**
 * Members with four months of history: enrolments, earns (fixed points and purchases) by every partner,
 * and burns that never overdraw, written through the same domain functions as the API, on a clock that
 * walks from 120 days ago to now.
 */
export async function seedMemberHistory(
  deps: Deps,
  programs: { program: Program; memberPrefix: string }[],
  partnerIds: string[],
  membersPerProgram: number,
): Promise<{ members: number; transactions: number }> {
  const clock = new ManualClock(new Date(Date.now() - 120 * 86_400_000));
  const historyDeps = { ...deps, clock, ids: createIds(clock) };
  const next = random(2026);
  const balances = new Map<string, number>();
  let transactions = 0;

  for (const { program, memberPrefix } of programs) {
    for (let m = 0; m < membersPerProgram; m++) {
      await enrolMember(
        historyDeps,
        { program, partnerId: program.partnerId, externalId: memberExternalId(memberPrefix, m) },
        toMember,
      );
    }
  }
  for (let day = 0; day < 120; day++) {
    clock.set(new Date(Date.now() - (120 - day) * 86_400_000));
    for (const { program, memberPrefix } of programs) {
      for (let n = 0; n < Math.ceil(membersPerProgram / 12); n++) {
        clock.advance(60_000 + next(600_000));
        const externalId = memberExternalId(memberPrefix, next(membersPerProgram));
        const partnerId = partnerIds[next(partnerIds.length)] ?? program.partnerId;
        // Agreements start today; the story is back-dated, so access is checked as of now.
        const access = await memberAccess(deps.reader, program.id, externalId, partnerId, new Date());
        const { member } = access;
        const balance = balances.get(member.id) ?? 0;
        if (balance > 2_000 && next(3) === 0) {
          const points = 500 + next(Math.min(balance, 20_000) - 499);
          await burn(historyDeps, { access, partnerId, points, reference: `redemption-${day}-${n}` });
          balances.set(member.id, balance - points);
        } else {
          const amountMinor = 1_000 + next(40_000);
          const result = await earn(historyDeps, {
            access,
            partnerId,
            purchase: { amountMinor, currency: program.settlementCurrency },
            reference: `order-${day}-${n}`,
          });
          balances.set(member.id, balance + (JSON.parse(result.body) as { points: number }).points);
        }
        transactions += 1;
      }
    }
  }
  return { members: membersPerProgram * programs.length, transactions };
}
