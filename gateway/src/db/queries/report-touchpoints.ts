import type { SqlReader } from "../reader";
import type { touchpoints } from "../schema";

type Touchpoint = typeof touchpoints.$inferSelect;

/** One channel, reason and direction's contacts in a range: how many, how many were rated and their ratings' sum. */
export type TouchpointGroup = Pick<Touchpoint, "channel" | "reason" | "direction"> & {
  touchpoints: number;
  rated: number;
  ratingSum: number;
};

/**
 * A program's touchpoints that occurred in `[since, until)`, counted per channel, reason and direction, with the
 * count and sum of their ratings (unrated ones have none). Reads the index `touchpoints_program` (program_id,
 * occurred_at).
 */
export async function countTouchpointGroups(
  reader: SqlReader,
  programId: string,
  range: { since: Date; until: Date },
): Promise<TouchpointGroup[]> {
  const rows = await reader.all<{
    channel: Touchpoint["channel"];
    reason: Touchpoint["reason"];
    direction: Touchpoint["direction"];
    touchpoints: number;
    rated: number;
    rating_sum: number;
  }>(
    `select channel, reason, direction, count(*) as touchpoints, count(rating) as rated,
            coalesce(sum(rating), 0) as rating_sum
     from touchpoints where program_id = ? and occurred_at >= ? and occurred_at < ?
     group by channel, reason, direction order by channel, reason, direction`,
    [programId, range.since.getTime(), range.until.getTime()],
  );
  return rows.map((row) => ({
    channel: row.channel,
    reason: row.reason,
    direction: row.direction,
    touchpoints: row.touchpoints,
    rated: row.rated,
    ratingSum: row.rating_sum,
  }));
}
