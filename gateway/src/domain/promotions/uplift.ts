/**
 * The statistics of a promotion's performance: how much more its treatment group spent per member than its control
 * group, and how sure that is. Pure functions over group summaries, so the SQL that sums a group and the tests that
 * fabricate one feed the same arithmetic.
 */

/** One group's per-member spends, summarised: how many members, their total and the total of their squares. */
export type GroupSums = { members: number; sum: number; sumOfSquares: number };

/** Groups smaller than this get no interval: the normal approximation behind it needs a large sample. */
export const minimumGroupForInterval = 30;

/** The standard normal's 97.5th percentile: a two-sided 95% interval. */
const z95 = 1.96;

/** The mean per member; null for an empty group. */
export const meanOf = (group: GroupSums): number | null => (group.members === 0 ? null : group.sum / group.members);

/**
 * The sample variance (n - 1 in the denominator) from the sums. Exact enough for spends: the sums of squares are
 * doubles, and a negative result of rounding when every member spent the same is taken as 0.
 */
function varianceOf(group: GroupSums): number {
  if (group.members < 2) return 0;
  const centred = group.sumOfSquares - (group.sum * group.sum) / group.members;
  return Math.max(0, centred / (group.members - 1));
}

/** (treatment - control) / control × 100 of the per-member means; null without both means or with a control of 0. */
export function upliftPct(treatment: GroupSums, control: GroupSums): number | null {
  const t = meanOf(treatment);
  const c = meanOf(control);
  if (t === null || c === null || c === 0) return null;
  return ((t - c) / c) * 100;
}

/**
 * Welch's unequal-variance 95% interval of the difference of per-member means, with the normal quantile 1.96, as a
 * percentage of the control mean (taken as fixed): [(d - 1.96 se) / c × 100, (d + 1.96 se) / c × 100] where
 * d = t - c and se = sqrt(s²t / nt + s²c / nc). Null when either group has fewer than 30 members or the control
 * mean is 0 (no percentage of nothing).
 */
export function upliftInterval95(treatment: GroupSums, control: GroupSums): [number, number] | null {
  if (treatment.members < minimumGroupForInterval || control.members < minimumGroupForInterval) return null;
  const t = treatment.sum / treatment.members;
  const c = control.sum / control.members;
  if (c === 0) return null;
  const difference = t - c;
  const standardError = Math.sqrt(varianceOf(treatment) / treatment.members + varianceOf(control) / control.members);
  return [((difference - z95 * standardError) / c) * 100, ((difference + z95 * standardError) / c) * 100];
}

/**
 * What the promotion added to spend: (treatment - control spend per member) × treatment members, in minor units
 * rounded to the nearest; null without both groups.
 */
export function incrementalSpend(treatment: GroupSums, control: GroupSums): number | null {
  const t = meanOf(treatment);
  const c = meanOf(control);
  if (t === null || c === null) return null;
  return Math.round((t - c) * treatment.members);
}

/** (incremental spend - cost) / cost; null when nothing was spent on it or the incremental spend is unknown. */
export function roi(incrementalMinor: number | null, costMinor: number): number | null {
  if (incrementalMinor === null || costMinor === 0) return null;
  return (incrementalMinor - costMinor) / costMinor;
}
