import type Database from "libsql";
import type { Checks } from "./soak-check";
import { bodyHash, type OpLog } from "./soak-log";
import { type OpKind, opKinds } from "./soak-ops";

type Found = { n: number; id: string };

/**
 * The rows each op could have written, by what carries its key: an earn's or burn's `reference` and a reversal's
 * reason (`description`) are the key, a conversion is found by the quote it executed, a redemption by its delivery
 * name, a transfer by its `reference`.
 */
const rowsByKey: Record<OpKind, string> = {
  earn: "select reference as key, count(*) as n, min(id) as id from ledger_transactions where type = 'earn' and reference like 'soak-%' group by reference",
  burn: "select reference as key, count(*) as n, min(id) as id from ledger_transactions where type = 'burn' and reference like 'soak-%' group by reference",
  reversal:
    "select description as key, count(*) as n, min(id) as id from ledger_transactions where type = 'reversal' and description like 'soak-%' group by description",
  conversion: "select quote_id as key, count(*) as n, min(id) as id from conversions group by quote_id",
  redemption:
    "select json_extract(delivery, '$.name') as key, count(*) as n, min(id) as id from redemptions group by json_extract(delivery, '$.name')",
  transfer: "select reference as key, count(*) as n, min(id) as id from transfers group by reference",
};

/**
 * Each op against the file: an acknowledged one present exactly once (the id it was answered with), a refused one
 * not at all, one answered 5xx at most once; no row of any op kind that no op accounts for; each acknowledged op's
 * idempotency record holding exactly its answer, and none for a refused one; the journal's rows by type exactly what
 * the acknowledged ops (and the funding earns) make.
 */
export function checkOps(db: Database.Database, log: OpLog, fundingEarns: number, checks: Checks) {
  const acknowledgedOnce = checks.add("every acknowledged op applied exactly once, as answered");
  const refusedNever = checks.add("every refused op applied never");
  const serverErrorAtMostOnce = checks.add("every op answered 5xx applied at most once");
  const retried = checks.add("every op retried after a kill: applied once if acknowledged, never if refused");
  const unclaimed = checks.add("no op row without its op");
  const found = {} as Record<OpKind, Map<string, Found>>;
  for (const kind of opKinds)
    found[kind] = new Map(
      (db.prepare(rowsByKey[kind]).all() as (Found & { key: string })[]).map((row) => [row.key, row]),
    );

  for (let i = 0; i < log.ops; i++) {
    const kind = log.kind(i);
    const key = kind === "conversion" ? log.quoteIds.get(i) : log.key(i);
    const rows = key === undefined ? undefined : found[kind].get(key);
    if (key !== undefined) found[kind].delete(key);
    const status = log.statuses[i] as number;
    const said = () =>
      `${log.key(i)} (${kind}) answered ${status} ${log.ids[i] ?? log.codes.get(i) ?? ""}: ${rows?.n ?? 0} row(s) ${rows?.id ?? ""}`;
    const once = rows?.n === 1 && rows.id === log.ids[i];
    if ((log.unanswered[i] as number) > 0 && status < 500)
      retried.see(log.acknowledged(i) ? once : rows === undefined, said);
    if (log.acknowledged(i)) acknowledgedOnce.see(once, said);
    else if (status >= 500) serverErrorAtMostOnce.see((rows?.n ?? 0) <= 1, said);
    else refusedNever.see(rows === undefined, said);
  }
  for (const kind of opKinds)
    for (const [key, rows] of found[kind]) unclaimed.see(false, () => `${kind} ${rows.id} (${key}): no op has it`);

  checkIdempotencyRecords(db, log, checks);
  checkJournalCounts(db, log, fundingEarns, checks);
}

function checkIdempotencyRecords(db: Database.Database, log: OpLog, checks: Checks) {
  const stored = checks.add("each acknowledged op's idempotency record is its answer; none for a refused one");
  const seen = new Uint8Array(log.ops);
  const prefix = `soak-${log.seed}-`;
  const rows = db
    .prepare("select key, status_code as status, response_body as body from idempotency_keys where key like 'soak-%'")
    .iterate() as IterableIterator<{ key: string; status: number; body: string }>;
  for (const row of rows) {
    // A quote's record is kept after its answer, not with a movement: nothing to hold it to.
    if (row.key.endsWith("-quote")) continue;
    const i = Number(row.key.slice(prefix.length));
    seen[i] = 1;
    stored.see(
      log.acknowledged(i) && row.status === log.statuses[i] && bodyHash(row.body) === log.hashes[i],
      () =>
        `${row.key} stored ${row.status} ${row.body}; answered ${log.statuses[i]} ${log.ids[i] ?? log.codes.get(i) ?? ""}`,
    );
  }
  for (let i = 0; i < log.ops; i++)
    if (log.acknowledged(i) && !seen[i])
      stored.see(false, () => `${log.key(i)} answered ${log.statuses[i]}: no record`);
}

function checkJournalCounts(db: Database.Database, log: OpLog, fundingEarns: number, checks: Checks) {
  const counts = checks.add("journal rows by type = the acknowledged ops' (and the funding earns)");
  const acknowledged = Object.fromEntries(opKinds.map((kind) => [kind, 0])) as Record<OpKind, number>;
  for (let i = 0; i < log.ops; i++) if (log.acknowledged(i)) acknowledged[log.kind(i)] += 1;
  const expected: Record<string, number> = {
    earn: fundingEarns + acknowledged.earn,
    // A redemption pays by a burn of its own.
    burn: acknowledged.burn + acknowledged.redemption,
    reversal: acknowledged.reversal,
    conversion_out: acknowledged.conversion,
    conversion_in: acknowledged.conversion,
    transfer_out: acknowledged.transfer,
    transfer_in: acknowledged.transfer,
  };
  const actual = new Map(
    (
      db.prepare("select type, count(*) as n from ledger_transactions group by type").all() as {
        type: string;
        n: number;
      }[]
    ).map((row) => [row.type, row.n]),
  );
  for (const type of new Set([...Object.keys(expected), ...actual.keys()]))
    counts.see(
      (actual.get(type) ?? 0) === (expected[type] ?? 0),
      () => `${type}: ${actual.get(type) ?? 0} rows, ${expected[type] ?? 0} expected`,
    );
}
