import type { SqlReader } from "../reader";
import { memberCards, type members } from "../schema";
import type { Row, Statement } from "../writer";
import { projection, type RowOf, type SqlRow } from "./rows";

const card = projection(memberCards);

/** A card's row with the `external_id` of the member holding it. */
type HolderRow = RowOf<typeof card> & Pick<SqlRow<typeof members>, "external_id">;

const holderQuery = `
  select ${card.select("c")}, m.external_id
  from member_cards c join members m on m.id = c.member_id
  where c.program_id = ? and c.number = ?`;

const toHolder = (row: HolderRow) => ({ ...card.map(row), externalId: row.external_id });

/**
 * Links a card in one atomic unit of two statements. The first inserts the link or, when `replace` is set and
 * another member holds the number, moves it to this member (the primary key keeps one row per number, so
 * concurrent links can never leave two); it returns a row only when it wrote one. The second reads who holds
 * the number after it, in the same transaction, so the answer cannot race another write. Read the results
 * with `linkOutcome`.
 */
export const linkCardStatements = (
  link: { programId: string; number: string; memberId: string; linkedAt: Date },
  replace: boolean,
): Statement[] => [
  {
    sql: `insert into member_cards (program_id, number, member_id, linked_at) values (?, ?, ?, ?)
          on conflict (program_id, number) do update set member_id = excluded.member_id, linked_at = excluded.linked_at
          where ? = 1 and member_cards.member_id <> excluded.member_id
          returning member_id`,
    args: [link.programId, link.number, link.memberId, link.linkedAt.getTime(), replace ? 1 : 0],
  },
  { sql: holderQuery, args: [link.programId, link.number] },
];

/** What `linkCardStatements` did: whether it wrote the link, and who holds the number now. */
export function linkOutcome(rows: Row[][]) {
  const holder = rows[1]?.[0] as HolderRow | undefined;
  return { wrote: (rows[0]?.length ?? 0) > 0, holder: holder && toHolder(holder) };
}

/** Unlinks a card from a member, returning the removed row (none when the member did not hold the number). */
export const unlinkCardStatement = (programId: string, number: string, memberId: string): Statement => ({
  sql: `delete from member_cards where program_id = ? and number = ? and member_id = ? returning ${card.select("member_cards")}`,
  args: [programId, number, memberId],
});

/** The card `unlinkCardStatement` removed, if it removed one. */
export const unlinkedCard = (rows: Row[][]) => {
  const row = rows[0]?.[0] as RowOf<typeof card> | undefined;
  return row && card.map(row);
};

/** The card with `number` in a program and the member holding it; undefined when no member holds it. */
export async function findCardHolder(reader: SqlReader, programId: string, number: string) {
  const row = (await reader.all<HolderRow>(holderQuery, [programId, number]))[0];
  return row && toHolder(row);
}

/** A member's cards, oldest link first. */
export async function listMemberCards(reader: SqlReader, memberId: string) {
  const rows = await reader.all<RowOf<typeof card>>(
    `select ${card.select("c")} from member_cards c where c.member_id = ? order by c.linked_at, c.number`,
    [memberId],
  );
  return rows.map(card.map);
}
