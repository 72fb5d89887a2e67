/**
 * The invariants the simulation checks after each seed (docs/scale-out.md, "Invariants"), read straight from every
 * shard's file: double entry and balances per shard, nobody below zero, each saga's steps exactly once and consistent
 * with the destination's decision, and points conserved across shards counting those in transit.
 */
import type { SimShard } from "./sim-world";

type Row = Record<string, unknown>;

const rows = async (shard: SimShard, sql: string, args: (string | number)[] = []): Promise<Row[]> =>
  (await shard.client.execute({ sql, args })).rows as unknown as Row[];

const total = async (shard: SimShard, sql: string) => Number((await rows(shard, sql))[0]?.n ?? 0);

/** Per shard: every transaction balanced and with legs, every balance the fold of its legs and the members' last `balance_after`. */
async function shardProblems(shard: SimShard): Promise<string[]> {
  const problems: string[] = [];
  const report = (what: string, found: Row[]) => {
    if (found.length > 0) problems.push(`${shard.name}: ${what}: ${JSON.stringify(found.slice(0, 3))}`);
  };
  report(
    "unbalanced transactions",
    await rows(shard, "select transaction_id from ledger_entries group by transaction_id having sum(amount) <> 0"),
  );
  report(
    "transactions without legs",
    await rows(
      shard,
      "select id from ledger_transactions t where not exists (select 1 from ledger_entries e where e.transaction_id = t.id)",
    ),
  );
  report(
    "balances that are not the fold of their legs",
    await rows(
      shard,
      `select a.id, a.balance, coalesce(sum(e.amount), 0) as legs from accounts a
       left join ledger_entries e on e.account_id = a.id group by a.id having a.balance <> coalesce(sum(e.amount), 0)`,
    ),
  );
  report(
    "members below zero",
    await rows(shard, "select id, balance from accounts where kind in ('member', 'member_hold') and balance < 0"),
  );
  report(
    "members whose last balance_after is not their balance",
    await rows(
      shard,
      `select t.member_id, t.balance_after, coalesce(a.balance, 0) as balance from ledger_transactions t
       left join accounts a on a.id = t.member_id
       where t.rowid = (select max(rowid) from ledger_transactions u where u.member_id = t.member_id)
         and t.balance_after <> coalesce(a.balance, 0)`,
    ),
  );
  const held = await total(shard, "select coalesce(sum(balance), 0) as n from accounts where kind = 'member_hold'");
  const inTransit = await total(
    shard,
    "select coalesce(sum(from_points), 0) as n from conversion_sagas where state = 'reserved'",
  );
  // Holds of conversions waiting for review: neither released nor started as a saga.
  const inReview = await total(
    shard,
    `select coalesce(sum(points), 0) as n from ledger_transactions h where type = 'hold'
     and not exists (select 1 from conversion_sagas s where s.hold_transaction_id = h.id)
     and not exists (select 1 from ledger_transactions r where r.original_transaction_id = h.id)`,
  );
  if (held !== inTransit + inReview)
    problems.push(`${shard.name}: ${held} points held but ${inTransit} in transit and ${inReview} in review`);
  return problems;
}

type Saga = {
  id: string;
  shard: SimShard;
  state: string;
  fromPoints: number;
  toPoints: number;
  hold: string;
  toProgram: string;
  fromProgram: string;
};

/** Across shards: each saga's steps once each, as its state and the destination's decision say. */
async function sagaProblems(shards: SimShard[], quiescent: boolean): Promise<string[]> {
  const problems: string[] = [];
  const sagas: Saga[] = [];
  const credits = new Map<string, { outcome: string; shard: SimShard }>();
  const creditedIn = new Map<string, { count: number; points: number; shard: SimShard }>();
  for (const shard of shards) {
    for (const row of await rows(shard, "select * from conversion_sagas"))
      sagas.push({
        id: String(row.id),
        shard,
        state: String(row.state),
        fromPoints: Number(row.from_points),
        toPoints: Number(row.to_points),
        hold: String(row.hold_transaction_id),
        toProgram: String(row.to_program_id),
        fromProgram: String(row.from_program_id),
      });
    for (const row of await rows(shard, "select saga_id, outcome from conversion_credits"))
      credits.set(String(row.saga_id), { outcome: String(row.outcome), shard });
    for (const row of await rows(
      shard,
      "select reference, count(*) as n, sum(points) as points from ledger_transactions where type = 'conversion_in' group by reference",
    )) {
      const known = creditedIn.get(String(row.reference));
      if (known) problems.push(`saga ${row.reference} credited on ${known.shard.name} and ${shard.name}`);
      creditedIn.set(String(row.reference), { count: Number(row.n), points: Number(row.points), shard });
    }
  }
  const byId = new Map(sagas.map((saga) => [saga.id, saga]));
  for (const saga of sagas) {
    const [moves] = [
      await rows(
        saga.shard,
        `select type, count(*) as n, sum(points) as points from ledger_transactions
         where id = ? or original_transaction_id = ? group by type`,
        [saga.hold, saga.hold],
      ),
    ];
    const count = (type: string) => Number(moves.find((row) => row.type === type)?.n ?? 0);
    const points = (type: string) => Number(moves.find((row) => row.type === type)?.points ?? 0);
    const credit = credits.get(saga.id);
    const credited = creditedIn.get(saga.id);
    const seen = `saga ${saga.id} (${saga.state}): hold ${count("hold")}, out ${count("conversion_out")}, release ${count("release")}, credit ${credit?.outcome ?? "none"}, conversion_in ${credited?.count ?? 0}`;
    const ok =
      count("hold") === 1 &&
      points("hold") === saga.fromPoints &&
      (saga.state === "settled"
        ? count("conversion_out") === 1 &&
          points("conversion_out") === saga.fromPoints &&
          count("release") === 0 &&
          credit?.outcome === "credited" &&
          credited?.count === 1 &&
          credited.points === saga.toPoints
        : saga.state === "compensated"
          ? count("conversion_out") === 0 && count("release") === 1 && credit?.outcome === "refused" && !credited
          : count("conversion_out") === 0 && count("release") === 0 && (credited?.count ?? 0) <= 1);
    if (!ok) problems.push(seen);
    if (quiescent && saga.state === "reserved") problems.push(`${seen}: left in transit after the relay drained`);
    if (credit && !shards.some((shard) => shard === credit.shard && shard.programs.includes(saga.toProgram)))
      problems.push(`${seen}: decided on ${credit.shard.name}, not the destination's database`);
  }
  for (const [sagaId, credit] of credits)
    if (!byId.has(sagaId)) problems.push(`credit decision ${credit.outcome} for unknown saga ${sagaId}`);
  for (const sagaId of creditedIn.keys())
    if (!byId.has(sagaId)) problems.push(`conversion_in for unknown saga ${sagaId}`);
  problems.push(...(await conservationProblems(shards, sagas, credits)));
  return problems;
}

/**
 * Conservation across shards, linking each program's accounts to the sagas: what left a program by conversions is
 * what its settled sagas took, and what a program issued by conversions is what the sagas it credited gave (the points
 * still in transit are each shard's holds, checked against its reserved sagas above).
 */
async function conservationProblems(
  shards: SimShard[],
  sagas: Saga[],
  credits: Map<string, { outcome: string }>,
): Promise<string[]> {
  const problems: string[] = [];
  const sum = (items: Saga[], points: (saga: Saga) => number) => items.reduce((n, saga) => n + points(saga), 0);
  for (const shard of shards)
    for (const programId of shard.programs) {
      const balance = async (id: string) =>
        total(shard, `select coalesce(sum(balance), 0) as n from accounts where id = '${id}'`);
      const out = await balance(`${programId}:conversions_out`);
      const settledOut = sum(
        sagas.filter((saga) => saga.fromProgram === programId && saga.state === "settled"),
        (saga) => saga.fromPoints,
      );
      if (out !== settledOut)
        problems.push(`${programId}: ${out} points converted out, settled sagas took ${settledOut}`);
      const issued = -(await balance(`${programId}:conversions_in`));
      const credited = sum(
        sagas.filter((saga) => saga.toProgram === programId && credits.get(saga.id)?.outcome === "credited"),
        (saga) => saga.toPoints,
      );
      if (issued !== credited) problems.push(`${programId}: ${issued} points converted in, sagas credited ${credited}`);
    }
  return problems;
}

/** Every violation found, as readable lines (none: the seed passed). */
export async function checkInvariants(shards: SimShard[], options: { quiescent: boolean }): Promise<string[]> {
  const problems: string[] = [];
  for (const shard of shards) problems.push(...(await shardProblems(shard)));
  problems.push(...(await sagaProblems(shards, options.quiescent)));
  return problems;
}
