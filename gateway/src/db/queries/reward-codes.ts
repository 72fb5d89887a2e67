import type { SqlReader } from "../reader";
import type { Statement } from "../writer";
import { refusalStatement } from "./refusals";
import { jsonChunks } from "./rewards";

const countCodes = (rewardId: string): Statement => ({
  sql: "select count(*) as codes from reward_codes where reward_id = ?",
  args: [rewardId],
});

/**
 * Adds codes to a `code` reward's pool in one atomic write: a code already in the pool stays as it was (whatever its
 * status), and a repeat inside `codes` is added once. It refuses itself (`invalid_state`) unless the reward is a
 * `code` reward when it runs. The first and the last statement count the pool, so their difference is what was
 * added. Codes go as JSON arguments of up to 400,000 characters (D1's 100 arguments a statement), in their order,
 * so the pool hands them out in the order they were uploaded.
 */
export function addRewardCodesStatements(rewardId: string, codes: readonly string[], now: Date): Statement[] {
  return [
    refusalStatement("invalid_state", "exists (select 1 from rewards where id = ? and fulfilment = 'code')", [
      rewardId,
    ]),
    countCodes(rewardId),
    ...jsonChunks(codes).map((json) => ({
      sql: `insert into reward_codes (reward_id, code, status, created_at)
            select ?, j.value, 'available', ? from json_each(?) j where true on conflict do nothing`,
      args: [rewardId, now.getTime(), json],
    })),
    countCodes(rewardId),
  ];
}

/** A `code` reward's pool: codes never handed out, handed out to an order, and voided with their order. */
export type CodePoolLevel = {
  rewardId: string;
  sku: string;
  name: string;
  active: boolean;
  available: number;
  assigned: number;
  void: number;
};

/** The pool of each `code` reward of a program, newest reward first. */
export async function findCodePoolLevels(reader: SqlReader, programId: string): Promise<CodePoolLevel[]> {
  const rows = await reader.all<{
    id: string;
    sku: string;
    name: string;
    active: number;
    available: number | null;
    assigned: number | null;
    void: number | null;
  }>(
    `select r.id, r.sku, r.name, r.active,
       sum(c.status = 'available') as available, sum(c.status = 'assigned') as assigned, sum(c.status = 'void') as void
     from rewards r left join reward_codes c on c.reward_id = r.id
     where r.program_id = ? and r.fulfilment = 'code'
     group by r.id order by r.id desc`,
    [programId],
  );
  return rows.map((row) => ({
    rewardId: row.id,
    sku: row.sku,
    name: row.name,
    active: Boolean(row.active),
    available: Number(row.available ?? 0),
    assigned: Number(row.assigned ?? 0),
    void: Number(row.void ?? 0),
  }));
}
