import type { SqlReader } from "../reader";
import { promotions } from "../schema";
import { projection, type RowOf } from "./rows";

const promotion = projection(promotions);

/** The program's draft promotions (a simulation may try them as if active). */
export async function findDraftPromotions(reader: SqlReader, programId: string) {
  const rows = await reader.all<RowOf<typeof promotion>>(
    `select ${promotion.select("p")} from promotions p where p.program_id = ? and p.status = 'draft'`,
    [programId],
  );
  return rows.map(promotion.map);
}
