/**
 * The liability report recomputed in the test from the journal's rows, without the gateway's SQL: what members held
 * at an instant, their expiring lots consumed oldest expiry first (FIFO), the buckets and the trailing breakage.
 */

/** A journal row as the scenario reads it from `ledger_transactions`. */
export type JournalRow = {
  id: string;
  type: string;
  member_id: string;
  points: number;
  original_transaction_id: string | null;
  expires_at: number | null;
  created_at: number;
};

const DAY = 86_400_000;
const credits = new Set(["earn", "bonus", "conversion_in", "transfer_in"]);

type Member = { held: number; consumed: number; lots: { id: string; expiresAt: number; points: number }[] };

/**
 * Folds the rows created by `at`. `debits` names the adjustments that took points (the scenario made them); a
 * reversal counts only if made by `at`, through the row it reverses.
 */
export function foldLiability(rows: readonly JournalRow[], at: number, debits: ReadonlySet<string>) {
  const seen = rows.filter((row) => row.created_at <= at);
  const reversed = new Map<string, number>();
  for (const row of seen)
    if (row.type === "reversal" && row.original_transaction_id)
      reversed.set(row.original_transaction_id, (reversed.get(row.original_transaction_id) ?? 0) + row.points);
  const members = new Map<string, Member>();
  for (const row of seen) {
    const member = members.get(row.member_id) ?? { held: 0, consumed: 0, lots: [] };
    members.set(row.member_id, member);
    const net = row.points - (reversed.get(row.id) ?? 0);
    const fromHold = row.original_transaction_id !== null;
    if (credits.has(row.type) || (row.type === "adjustment" && !debits.has(row.id))) {
      member.held += net;
      if (row.expires_at !== null) member.lots.push({ id: row.id, expiresAt: row.expires_at, points: net });
    } else if (row.type === "burn") {
      // Paid from a hold, its points were consumed when held; a reversal gives them back either way.
      member.held -= net;
      member.consumed += fromHold ? -(reversed.get(row.id) ?? 0) : net;
    } else if (row.type === "conversion_out" || row.type === "transfer_out") {
      member.held -= row.points;
      if (!fromHold) member.consumed += row.points;
    } else if (row.type === "expiry" || row.type === "adjustment") {
      member.held -= row.points;
      member.consumed += row.points;
    } else if (row.type === "hold") member.consumed += row.points;
    else if (row.type === "release") member.consumed -= row.points;
  }
  const bounds = [30, 60, 90, 180, 365].map((days) => at + days * DAY);
  const buckets = bounds.map(() => 0);
  let later = 0;
  let lastExpiry = 0;
  let outstanding = 0;
  for (const member of members.values()) {
    outstanding += member.held;
    let left = member.consumed;
    const lots = [...member.lots].sort((a, b) => a.expiresAt - b.expiresAt || a.id.localeCompare(b.id));
    for (const lot of lots) {
      const remaining = Math.max(0, lot.points - Math.max(0, left));
      left -= lot.points;
      if (remaining === 0) continue;
      const bucket = bounds.findIndex((bound) => lot.expiresAt <= bound);
      if (bucket === -1) later += remaining;
      else buckets[bucket] = (buckets[bucket] ?? 0) + remaining;
      lastExpiry = Math.max(lastExpiry, lot.expiresAt);
    }
  }
  const scheduled = buckets.reduce((sum, points) => sum + points, 0) + later;
  const expiring = [
    ...bounds.map((bound, i) => ({ until: new Date(bound).toISOString(), points: buckets[i] ?? 0 })),
    ...(later > 0 ? [{ until: new Date(lastExpiry).toISOString(), points: later }] : []),
    { until: null, points: outstanding - scheduled },
  ];
  return { outstanding, expiring, breakage: breakage(rows, at) };
}

/** Expired ÷ issued (earns and bonuses, less the reversals of them) over (at - 365 days, at]; null if none issued. */
function breakage(rows: readonly JournalRow[], at: number): number | null {
  const typeOf = new Map(rows.map((row) => [row.id, row.type]));
  const window = rows.filter((row) => row.created_at > at - 365 * DAY && row.created_at <= at);
  let expired = 0;
  let issued = 0;
  for (const row of window) {
    if (row.type === "expiry") expired += row.points;
    if (row.type === "earn" || row.type === "bonus") issued += row.points;
    const original = row.type === "reversal" ? typeOf.get(row.original_transaction_id ?? "") : undefined;
    if (original === "earn" || original === "bonus") issued -= row.points;
  }
  return issued > 0 ? Math.round((expired * 10_000) / issued) / 10_000 : null;
}

/** Points at a price in micros per point, in cents, rounded half to even (a statement line's rounding). */
export function centsAt(points: number, priceMicros: number): number {
  const exact = BigInt(points) * BigInt(priceMicros);
  const cents = exact / 10_000n;
  const twiceRest = (exact % 10_000n) * 2n;
  return Number(twiceRest > 10_000n || (twiceRest === 10_000n && cents % 2n === 1n) ? cents + 1n : cents);
}
