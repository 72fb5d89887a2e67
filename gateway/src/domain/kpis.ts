import {
  countActiveMembers,
  findRedeemPrice,
  type KpiProgram,
  listDailyMovements,
  listOwnedPrograms,
  sumPointsHeld,
} from "../db/queries/kpis";
import type { Deps } from "../deps";
import { lineAmountMinor } from "./settlement/money";

export type ProgramKpis = {
  programId: string;
  name: string;
  currency: string;
  issued: number;
  redeemed: number;
  convertedIn: number;
  convertedOut: number;
  activeMembers: number;
  /** Redeemed ÷ issued in the window (0 when nothing was issued). */
  redemptionRate: number;
  /** Points members hold (available and pending) at the owner's current redeem price, in minor units. */
  liabilityMinor: number;
  /** Per UTC day of the window, oldest first. */
  daily: { day: string; issued: number; redeemed: number }[];
};

const day = 86_400_000;

/** The dashboard of a partner: the figures of every program it owns, over the 30 days until now. */
export async function partnerDashboard(deps: Pick<Deps, "reader" | "clock">, partnerId: string) {
  const now = deps.clock.now();
  const owned = await listOwnedPrograms(deps.reader, partnerId);
  return Promise.all(owned.map((program) => programKpis(deps.reader, program, now)));
}

/**
 * A program's figures over `[until - days, until)`: points issued and redeemed net of reversals, converted in
 * and out, members with any movement, the redemption rate, and the outstanding liability now.
 */
async function programKpis(reader: Deps["reader"], program: KpiProgram, until: Date, days = 30): Promise<ProgramKpis> {
  const since = new Date(until.getTime() - days * day);
  const [movements, activeMembers, held, price] = await Promise.all([
    listDailyMovements(reader, program.id, since, until),
    countActiveMembers(reader, program.id, since, until),
    sumPointsHeld(reader, program.id),
    findRedeemPrice(reader, program.id, program.ownerId, until),
  ]);
  const byDay = new Map(movements.map((movement) => [movement.day, movement]));
  // The window's days, the last one being the day of `until` (partial, like the first).
  const daily = Array.from({ length: days }, (_, i) => {
    const date = new Date(until.getTime() - (days - 1 - i) * day).toISOString().slice(0, 10);
    const movement = byDay.get(date);
    return { day: date, issued: movement?.issued ?? 0, redeemed: movement?.redeemed ?? 0 };
  });
  const total = (pick: (movement: (typeof movements)[number]) => number) =>
    movements.reduce((sum, movement) => sum + pick(movement), 0);
  const issued = total((movement) => movement.issued);
  const redeemed = total((movement) => movement.redeemed);
  return {
    programId: program.id,
    name: program.name,
    currency: program.currency,
    issued,
    redeemed,
    convertedIn: total((movement) => movement.convertedIn),
    convertedOut: total((movement) => movement.convertedOut),
    activeMembers,
    redemptionRate: issued > 0 ? redeemed / issued : 0,
    liabilityMinor: lineAmountMinor(held, price ?? 0, program.currency),
    daily,
  };
}
