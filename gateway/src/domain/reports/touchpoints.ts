import { countTouchpointGroups, type TouchpointGroup } from "../../db/queries/report-touchpoints";
import { touchpointChannels, touchpointReasons } from "../../db/queries/touchpoints";
import type { Deps } from "../../deps";
import type { Caller } from "../programs";
import { managedReportRange, type ProgramReportHead } from "./program-range";

/** Contacts counted, those rated, and the mean of their ratings (null when none was rated). */
type Tally = { touchpoints: number; rated: number; mean_rating: number | null };

export type TouchpointGroupRow = Pick<TouchpointGroup, "channel" | "reason" | "direction"> & Tally;
export type TouchpointChannelRow = Pick<TouchpointGroup, "channel"> & Tally;
export type TouchpointReasonRow = Pick<TouchpointGroup, "reason"> & Tally;

/**
 * A program's contacts with its members in a range of local days (`occurred_at` from the first day's local midnight
 * to the midnight after the last): per channel, reason and direction (only those that happened), per channel and
 * per reason (every one, 0 included), and in all; each with how many were rated and their mean rating.
 */
export type TouchpointsReport = ProgramReportHead & {
  totals: Tally;
  channels: TouchpointChannelRow[];
  reasons: TouchpointReasonRow[];
  groups: TouchpointGroupRow[];
};

/** The tables of the report, each downloadable as CSV with these columns (the JSON names, in order). */
export const touchpointsTables = {
  groups: ["channel", "reason", "direction", "touchpoints", "rated", "mean_rating"],
  channels: ["channel", "touchpoints", "rated", "mean_rating"],
  reasons: ["reason", "touchpoints", "rated", "mean_rating"],
} as const satisfies {
  groups: readonly (keyof TouchpointGroupRow)[];
  channels: readonly (keyof TouchpointChannelRow)[];
  reasons: readonly (keyof TouchpointReasonRow)[];
};

/** Sums groups into one tally. */
function tally(groups: readonly TouchpointGroup[]): Tally {
  const touchpoints = groups.reduce((sum, g) => sum + g.touchpoints, 0);
  const rated = groups.reduce((sum, g) => sum + g.rated, 0);
  const ratingSum = groups.reduce((sum, g) => sum + g.ratingSum, 0);
  return { touchpoints, rated, mean_rating: rated === 0 ? null : ratingSum / rated };
}

/**
 * The touchpoints report of a program over local dates `from`..`to` of its zone (default: the last 30 days), for
 * its owner and the operator.
 */
export async function touchpointsReport(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  query: { from?: string; to?: string },
): Promise<TouchpointsReport> {
  const { range, head } = await managedReportRange(deps, caller, programId, query);
  const groups = await countTouchpointGroups(deps.reader, programId, range);
  return {
    ...head,
    totals: tally(groups),
    channels: touchpointChannels.map((channel) => ({
      channel,
      ...tally(groups.filter((g) => g.channel === channel)),
    })),
    reasons: touchpointReasons.map((reason) => ({ reason, ...tally(groups.filter((g) => g.reason === reason)) })),
    groups: groups.map((g) => ({ channel: g.channel, reason: g.reason, direction: g.direction, ...tally([g]) })),
  };
}
