import type { SqlReader } from "../reader";
import { memberCards, memberRfm } from "../schema";
import { type Nullable, projection, type RowOf } from "./rows";

const card = projection(memberCards, { prefix: "c_" });
const scores = projection(memberRfm, { prefix: "r_", omit: ["programId", "recencyDays", "frequency", "monetary"] });

type CardRow = RowOf<typeof card>;
/** The columns `extrasColumns` adds to a row. */
export type ExtrasRow = { cards_json: string } & Nullable<RowOf<typeof scores>>;

/**
 * A member's cards (a JSON array, oldest link first) and RFM scores as columns of a row that reads the member as
 * `m`; with `extrasJoin` in its from clause. The member GET reads them in the statement that reads the member.
 */
export const extrasColumns = `
  (select json_group_array(${card.jsonObject("c")})
   from (select * from member_cards where member_id = m.id order by linked_at, number) c) as cards_json,
  ${scores.select("r")}`;
export const extrasJoin = "left join member_rfm r on r.member_id = m.id";

/** The cards and scores of a row with `extrasColumns` (scores undefined when the last scoring left the member out). */
export function extrasOf(row: ExtrasRow) {
  return {
    cards: (JSON.parse(row.cards_json) as CardRow[]).map(card.map),
    scores: scores.mapJoined(row),
  };
}

const extrasQuery = `select ${extrasColumns} from (select ? as id) m ${extrasJoin}`;

/** A member's cards and RFM scores, for the routes that read the member without them (`extrasColumns`). */
export async function findMemberCardsAndScores(reader: SqlReader, memberId: string) {
  const row = await reader.first<ExtrasRow>(extrasQuery, [memberId]);
  if (!row) throw new Error("the extras query always answers a row");
  return extrasOf(row);
}
