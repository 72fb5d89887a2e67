import { newKey, setupProgram, unique } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Credential } from "./target";

// Factories of the tier scenarios (tiers.ts, tier-tables.ts): a program with a tier table and what they read of it.

export const dayMs = 86_400_000;

/** Blue (entry), Silver at 1,000 points or 5 purchases (25% accrual, 100 upgrade bonus), Gold at 5,000 points. */
export const table = {
  qualification_window_days: 30,
  tiers: [
    { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
    {
      key: "silver",
      name: "Silver",
      min_points: 1000,
      min_purchases: 5,
      earn_bonus_bps: 2500,
      upgrade_bonus_points: 100,
    },
    { key: "gold", name: "Gold", min_points: 5000, earn_bonus_bps: 5000, upgrade_bonus_points: 500 },
  ],
};

/** Blue, and Silver by `minimum` alone (10% accrual, 100 upgrade bonus), over 30 days. */
export const silverAt = (minimum: Record<string, number>) => ({
  qualification_window_days: 30,
  tiers: [
    { key: "blue", name: "Blue" },
    { key: "silver", name: "Silver", ...minimum, earn_bonus_bps: 1000, upgrade_bonus_points: 100 },
  ],
});

type TierChange = {
  from_key: string | null;
  to_key: string;
  reason: string;
  note: string | null;
  actor: string | null;
};
type TierEvent = { partner_id: string; data: Record<string, unknown> };
type Bonus = { source: string; source_id: string; points: number; reversed_points: number };

/**
 * A program owned by a new partner with `tiers` (the table above unless given), with helpers to read a member's
 * tier, its tier history, its `member.tier_changed` events and its bonuses, to earn by a purchase, and to call
 * the tier routes (as the owner unless told).
 */
export async function tieredProgram(gw: Gateway, tiers: unknown = table) {
  const program = await setupProgram(gw);
  const tiersPath = `/v1/programs/${program.programId}/tiers`;
  const putTiers = (body: unknown, as: Credential = program.owner) => gw.call("PUT", tiersPath, { as, body });
  const getTiers = (as: Credential = program.owner) => gw.call("GET", tiersPath, { as });
  expectBody(await putTiers(tiers), op.putTiers, 200);
  /** The tier table as GET answers it to the owner. */
  const tierTable = async () => expectBody(await getTiers(), op.getTiers, 200);
  const tierOf = async (externalId: string) => expectBody(await program.member(externalId), op.getMember, 200).tier;
  const setTier = (externalId: string, body: unknown, as: Credential = program.owner) =>
    gw.call("POST", `/v1/programs/${program.programId}/members/${externalId}/tier`, { as, body });
  /** Earns for a purchase in USD (1 point per 100 minor units at the owner's agreement). */
  const purchase = async (externalId: string, amountMinor: number, as: Credential = program.owner) =>
    expectBody(
      await gw.call("POST", "/v1/transactions/earn", {
        as,
        headers: { "Idempotency-Key": newKey() },
        body: {
          program_id: program.programId,
          external_id: externalId,
          purchase: { amount_minor: amountMinor, currency: "USD" },
          reference: unique("order"),
        },
      }),
      op.earnPoints,
      201,
    );
  const history = (externalId: string) =>
    gw.rows<TierChange>(
      `select c.from_key, c.to_key, c.reason, c.note, c.actor from member_tier_changes c
       join members m on m.id = c.member_id where m.program_id = ? and m.external_id = ? order by c.at, c.id`,
      program.programId,
      externalId,
    );
  /** The member's `member.tier_changed` events, oldest first, each with its recipient. */
  const tierEvents = async (externalId: string): Promise<TierEvent[]> =>
    (
      await gw.rows<{ partner_id: string; payload: string }>(
        `select partner_id, payload from events where type = 'member.tier_changed'
         and json_extract(payload, '$.data.program_id') = ? and json_extract(payload, '$.data.external_id') = ?
         order by created_at, id`,
        program.programId,
        externalId,
      )
    ).map((row) => ({ partner_id: row.partner_id, data: JSON.parse(row.payload).data }));
  const bonusesOf = (externalId: string) =>
    gw.rows<Bonus>(
      `select t.bonus_source as source, t.bonus_source_id as source_id, t.points, t.reversed_points
       from ledger_transactions t join members m on m.id = t.member_id
       where m.program_id = ? and m.external_id = ? and t.type = 'bonus' order by t.rowid`,
      program.programId,
      externalId,
    );
  return { ...program, putTiers, getTiers, tierTable, tierOf, setTier, purchase, history, tierEvents, bonusesOf };
}

/** The instant `ms` after an ISO timestamp. */
export const later = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms);
