import {
  type ActiveKey,
  type DayFigures,
  type FigureName,
  type Figures,
  type Folded,
  type FoldRow,
  figureNames,
  type Grain,
} from "../../db/queries/report-rollups";
import { bucketOf, localDay } from "./buckets";

/**
 * The one classification of journal rows into report figures, used by the roll-up job, by reports on the rows the
 * job has not reached yet, and by nothing else: so the roll-ups, the live tail and a rebuild from scratch can only
 * agree. Each row counts once, on the local day (program's zone) it was written:
 * - earn: `points_earned`; bonus (tier, upgrade, promotion, referral): `bonus_points`;
 * - burn: `points_burned`, or `points_redeemed` when it paid for a catalogue order (placed, or approved after a
 *   review); a held burn, order, transfer or conversion counts when it completes (the burn, `conversion_out` or
 *   `transfer_out` of the hold); the hold and its release move points between the member's own accounts and count
 *   nothing;
 * - reversal: minus its points from the figure of what it reverses (an earn, a bonus, a burn; an order cancelled or
 *   returned is a reversal of its burn), in the day the reversal was made;
 * - conversion_out / conversion_in: `points_converted_out` (the source program's points) / `points_converted_in`
 *   (the destination's); transfer_out: `points_transferred` (the points sent, fee included); transfer_in: the
 *   receiver's side, in no figure;
 * - expiry: `points_expired`; adjustment: `points_adjusted`, signed (a debit negative).
 * `outstanding_change` is what the row did to the points members hold (available and pending), and `transactions`
 * counts the journal rows. Active members are those with an earn, burn (a redemption's too), conversion (out, or in
 * to them) or transfer (sent or received) of their own: not bonuses, expiries, adjustments, reversals, holds or
 * releases, which the program or a review does to them.
 */

export const noFigures = (): Figures => Object.fromEntries(figureNames.map((name) => [name, 0])) as Figures;

/** Adds `figures` into `total`. */
export function addFigures(total: Figures, figures: Figures): void {
  for (const name of figureNames) total[name] += figures[name];
}

/** What one row does: to which figure, signed; to the points members hold; and whether its member was active. */
type Effect = { figure: FigureName | null; points: number; outstanding: number; active: boolean };

const spentFigure = (row: FoldRow): FigureName => (row.redemption ? "points_redeemed" : "points_burned");

function effectOf(row: FoldRow): Effect {
  const p = row.points;
  switch (row.type) {
    case "earn":
      return { figure: "points_earned", points: p, outstanding: p, active: true };
    case "bonus":
      return { figure: "bonus_points", points: p, outstanding: p, active: false };
    case "burn":
      return { figure: spentFigure(row), points: p, outstanding: -p, active: true };
    case "reversal":
      return reversalEffect(row);
    case "conversion_out":
      return { figure: "points_converted_out", points: p, outstanding: -p, active: true };
    case "conversion_in":
      return { figure: "points_converted_in", points: p, outstanding: p, active: true };
    case "transfer_out":
      return { figure: "points_transferred", points: p, outstanding: -p, active: true };
    case "transfer_in":
      return { figure: null, points: 0, outstanding: p, active: true };
    case "expiry":
      return { figure: "points_expired", points: p, outstanding: -p, active: false };
    case "adjustment":
      return { figure: "points_adjusted", points: row.debit ? -p : p, outstanding: row.debit ? -p : p, active: false };
    case "hold":
    case "release":
      return { figure: null, points: 0, outstanding: 0, active: false };
  }
}

/** A reversal takes back from what it reverses: an earn's or bonus's points leave the member, a burn's come back. */
function reversalEffect(row: FoldRow): Effect {
  const p = row.points;
  switch (row.originalType) {
    case "earn":
      return { figure: "points_earned", points: -p, outstanding: -p, active: false };
    case "bonus":
      return { figure: "bonus_points", points: -p, outstanding: -p, active: false };
    case "burn":
      return { figure: spentFigure(row), points: -p, outstanding: p, active: false };
    default:
      // reverse() takes back earns, their bonuses and burns only: anything else is a journal the fold cannot read.
      throw new Error(`a reversal of a ${row.originalType ?? "missing"} transaction`);
  }
}

const grains: readonly Grain[] = ["day", "week", "month"];

/**
 * A fold that rows are added to in as many calls as they come in (a rebuild reads a program's journal in pages),
 * answering the sum: per program and local day of `zoneOf(programId)`, the figures, and the distinct active keys.
 */
export function createFold(zoneOf: (programId: string) => string) {
  const days = new Map<string, DayFigures>();
  const active = new Map<string, ActiveKey>();
  /** The week and month buckets of each day met, computed once. */
  const bucketsOfDay = new Map<string, string[]>();
  const bucketsOf = (day: string) => {
    let buckets = bucketsOfDay.get(day);
    if (!buckets) {
      buckets = grains.map((grain) => bucketOf(day, grain));
      bucketsOfDay.set(day, buckets);
    }
    return buckets;
  };
  return {
    add(rows: Iterable<FoldRow>): void {
      for (const row of rows) {
        const day = localDay(zoneOf(row.programId), row.createdAt);
        const key = `${row.programId} ${day}`;
        let entry = days.get(key);
        if (!entry) {
          entry = { programId: row.programId, day, figures: noFigures() };
          days.set(key, entry);
        }
        const effect = effectOf(row);
        if (effect.figure) entry.figures[effect.figure] += effect.points;
        entry.figures.outstanding_change += effect.outstanding;
        entry.figures.transactions += 1;
        // A member active that day already is in its week and month too.
        const memberKey = (grain: Grain, bucket: string) => `${row.programId} ${grain} ${bucket} ${row.memberId}`;
        if (!effect.active || active.has(memberKey("day", day))) continue;
        bucketsOf(day).forEach((bucket, i) => {
          const grain = grains[i] as Grain;
          active.set(memberKey(grain, bucket), { programId: row.programId, grain, bucket, memberId: row.memberId });
        });
      }
    },
    result(): Folded {
      return { days: [...days.values()], active: [...active.values()] };
    },
  };
}

/** Folds `rows` at once: per program and local day of `zoneOf(programId)`, the figures and the active members. */
export function foldTransactions(rows: Iterable<FoldRow>, zoneOf: (programId: string) => string): Folded {
  const fold = createFold(zoneOf);
  fold.add(rows);
  return fold.result();
}
