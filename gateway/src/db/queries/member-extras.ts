import type { SqlReader } from "../reader";
import { memberCards, memberRfm } from "../schema";
import { type Nullable, projection, type RowOf } from "./rows";

const card = projection(memberCards, { prefix: "c_" });
const scores = projection(memberRfm, { prefix: "r_", omit: ["programId", "recencyDays", "frequency", "monetary"] });

/** A row per card (oldest link first), each with the scores; one row with neither when there are none. */
const extrasQuery = `
  select ${card.select("c")}, ${scores.select("r")}
  from (select 1) one
  left join member_cards c on c.member_id = ?1
  left join member_rfm r on r.member_id = ?1
  order by c.linked_at, c.number`;

/**
 * A member's cards and RFM scores (undefined when its program's last scoring left it out) in one read: the member
 * GET shows both, and one statement costs less than two on the request thread.
 */
export async function findMemberCardsAndScores(reader: SqlReader, memberId: string) {
  const rows = await reader.all<Nullable<RowOf<typeof card>> & Nullable<RowOf<typeof scores>>>(extrasQuery, [memberId]);
  const first = rows[0];
  return {
    cards: rows.flatMap((row) => card.mapJoined(row) ?? []),
    scores: first && scores.mapJoined(first),
  };
}
