import { first, type SqlReader } from "../reader";
import type { ledgerTransactions, reportActiveMembers, reportDaily } from "../schema";
import type { SqlValue, Statement } from "../writer";
import { adjustmentDebitSql } from "./ledger";
import { refusalStatement } from "./refusals";
import type { SqlRow } from "./rows";

/**
 * The roll-ups of the journal for reports (`report_daily`, `report_active_members`, how far they got and in which
 * zone each program's are): the journal rows the fold reads, and the one atomic write of each step of the job.
 */

/** The points figures of a day, as the KPI report names them too. */
export const pointsFigureNames = [
  "points_earned",
  "bonus_points",
  "points_burned",
  "points_redeemed",
  "points_converted_in",
  "points_converted_out",
  "points_transferred",
  "points_expired",
  "points_adjusted",
] as const;

/** The figures of a day: the columns of `report_daily` besides its key. */
export const figureNames = [
  ...pointsFigureNames,
  "outstanding_change",
  "transactions",
] as const satisfies readonly Exclude<keyof SqlRow<typeof reportDaily>, "program_id" | "day">[];

export type FigureName = (typeof figureNames)[number];
export type Figures = Record<FigureName, number>;
export type PointsFigures = Pick<Figures, (typeof pointsFigureNames)[number]>;

/** What a journal row is: earn, burn, reversal... */
type TransactionType = SqlRow<typeof ledgerTransactions>["type"];

/** A journal row as the fold reads it. */
export type FoldRow = {
  programId: string;
  memberId: string;
  type: TransactionType;
  points: number;
  /** When it was written (ms): the day it counts in. */
  createdAt: number;
  /** For a reversal: the type of the transaction it reverses. */
  originalType: TransactionType | null;
  /** A burn that paid for a catalogue order, or a reversal of such a burn (the order cancelled or returned). */
  redemption: boolean;
  /** For an adjustment: whether it debited the member. */
  debit: boolean;
};

/** A day, ISO week or month of a program's zone. */
export type Grain = SqlRow<typeof reportActiveMembers>["grain"];

/** One program's figures of one local day. */
export type DayFigures = { programId: string; day: string; figures: Figures };

/** A member active in a program's day, ISO week or month (`bucket`: its first day). */
export type ActiveKey = { programId: string; grain: Grain; bucket: string; memberId: string };

/** Journal rows folded: per program and local day, the figures; and the distinct active keys. */
export type Folded = { days: DayFigures[]; active: ActiveKey[] };

/** The scope of the one `report_rollup_state` row: the ledger's journal. */
const scope = "ledger";

type JournalRow = Pick<
  SqlRow<typeof ledgerTransactions>,
  "program_id" | "member_id" | "type" | "points" | "created_at"
> & {
  row_id: number;
  original_type: TransactionType | null;
  redemption: number;
  debit: number;
};

/**
 * A journal row with what the fold needs to classify it: what a reversal reverses, whether a burn (or the burn a
 * reversal takes back) paid for a catalogue order (by `redemptions_transaction`), which way an adjustment went.
 */
const journalSelect = `select t.rowid as row_id, t.program_id, t.member_id, t.type, t.points, t.created_at,
    o.type as original_type,
    case when t.type = 'burn' then exists (select 1 from redemptions r where r.transaction_id = t.id)
         when t.type = 'reversal' and o.type = 'burn' then exists (select 1 from redemptions r where r.transaction_id = o.id)
         else 0 end as redemption,
    ${adjustmentDebitSql("t")} as debit
  from ledger_transactions t left join ledger_transactions o on o.id = t.original_transaction_id`;

/** A journal row read for the fold, with its rowid. */
export type RolledRow = FoldRow & { rowid: number };

const toRolledRow = (row: JournalRow): RolledRow => ({
  rowid: row.row_id,
  programId: row.program_id,
  memberId: row.member_id,
  type: row.type,
  points: row.points,
  createdAt: row.created_at,
  originalType: row.original_type,
  redemption: Boolean(row.redemption),
  debit: Boolean(row.debit),
});

const journal = async (reader: SqlReader, where: string, args: SqlValue[]) =>
  (await reader.all<JournalRow>(`${journalSelect} ${where}`, args)).map(toRolledRow);

/** The next `limit` journal rows after `afterRowid`, in rowid order (the order they were committed in). */
export const listJournalAfter = (reader: SqlReader, afterRowid: number, limit: number) =>
  journal(reader, "where t.rowid > ? order by t.rowid limit ?", [afterRowid, limit]);

/**
 * A program's journal rows up to `throughRowid`, a page at a time in (created_at, rowid) order after `after`, by
 * the program's (program_id, created_at) index: what a rebuild refolds.
 */
export const listProgramJournalPage = (
  reader: SqlReader,
  programId: string,
  throughRowid: number,
  after: { createdAt: number; rowid: number },
  limit: number,
) =>
  journal(
    reader,
    `where t.program_id = ? and t.rowid <= ? and (t.created_at, t.rowid) > (?, ?)
     order by t.created_at, t.rowid limit ?`,
    [programId, throughRowid, after.createdAt, after.rowid, limit],
  );

/**
 * A program's journal rows written in `[since, until)` after `afterRowid` (null: all of them). The rows after the
 * roll-ups are found by the rowid range, which holds only what the job has not reached (the unary `+` keeps SQLite
 * from scanning the program's whole index instead); all of them, by the program's index.
 */
export const listProgramJournal = (
  reader: SqlReader,
  programId: string,
  afterRowid: number | null,
  window: { since: number; until: number },
) =>
  afterRowid === null
    ? journal(reader, "where t.program_id = ? and t.created_at >= ? and t.created_at < ?", [
        programId,
        window.since,
        window.until,
      ])
    : journal(reader, "where t.rowid > ? and +t.program_id = ? and +t.created_at >= ? and +t.created_at < ?", [
        afterRowid,
        programId,
        window.since,
        window.until,
      ]);

/** The last journal rowid in the roll-ups (0 before the job first ran). */
export async function findRolledRowid(reader: SqlReader): Promise<number> {
  const row = await first<{ last_rowid: number }>(
    reader,
    "select last_rowid from report_rollup_state where scope = ?",
    [scope],
  );
  return row?.last_rowid ?? 0;
}

/** Each program's zone now and the zone its roll-ups are in (null: it has none yet). */
export async function listProgramZones(
  reader: SqlReader,
): Promise<{ programId: string; timezone: string; rolledIn: string | null }[]> {
  const rows = await reader.all<{ id: string; timezone: string; rolled_in: string | null }>(
    `select p.id, p.timezone, z.timezone as rolled_in
     from programs p left join report_rollup_zones z on z.program_id = p.id`,
  );
  return rows.map((row) => ({ programId: row.id, timezone: row.timezone, rolledIn: row.rolled_in }));
}

/**
 * Where one program's roll-ups stand, read in one statement so both come from the same moment: the last rowid in
 * them and the zone they are in (null: none of its rows are in them yet).
 */
export async function findProgramRollup(
  reader: SqlReader,
  programId: string,
): Promise<{ lastRowid: number; rolledIn: string | null }> {
  const row = await first<{ last_rowid: number | null; rolled_in: string | null }>(
    reader,
    `select (select last_rowid from report_rollup_state where scope = ?) as last_rowid,
            (select timezone from report_rollup_zones where program_id = ?) as rolled_in`,
    [scope, programId],
  );
  return { lastRowid: row?.last_rowid ?? 0, rolledIn: row?.rolled_in ?? null };
}

/** A program's rolled-up figures of the local days `from` to `to`, the days that have any. */
export async function listDailyFigures(
  reader: SqlReader,
  programId: string,
  from: string,
  to: string,
): Promise<{ day: string; figures: Figures }[]> {
  const rows = await reader.all<Figures & { day: string }>(
    `select day, ${figureNames.join(", ")} from report_daily where program_id = ? and day >= ? and day <= ?`,
    [programId, from, to],
  );
  return rows.map(({ day, ...figures }) => ({ day, figures }));
}

/** One JSON argument per statement at most this long, far below D1's 2 MB for a value. */
const keysPerStatement = 10_000;

const value = (i: number) => `json_extract(j.value, '$[${i}]')`;

/** The statements adding a fold's figures to `report_daily` (upserted) and its active members (each once). */
function addFoldedStatements(folded: Folded): Statement[] {
  const statements: Statement[] = [];
  const columns = figureNames.join(", ");
  for (let start = 0; start < folded.days.length; start += keysPerStatement) {
    const days = folded.days.slice(start, start + keysPerStatement);
    statements.push({
      sql: `insert into report_daily (program_id, day, ${columns})
            select ${[0, 1, ...figureNames.map((_, i) => i + 2)].map(value).join(", ")} from json_each(?) j where true
            on conflict (program_id, day) do update set
              ${figureNames.map((name) => `${name} = ${name} + excluded.${name}`).join(", ")}`,
      args: [JSON.stringify(days.map((d) => [d.programId, d.day, ...figureNames.map((name) => d.figures[name])]))],
    });
  }
  for (let start = 0; start < folded.active.length; start += keysPerStatement) {
    const keys = folded.active.slice(start, start + keysPerStatement);
    statements.push({
      sql: `insert or ignore into report_active_members (program_id, grain, bucket, member_id)
            select ${[0, 1, 2, 3].map(value).join(", ")} from json_each(?) j`,
      args: [JSON.stringify(keys.map((k) => [k.programId, k.grain, k.bucket, k.memberId]))],
    });
  }
  return statements;
}

/** Moves the job's position to `lastRowid`. */
const positionStatement = (lastRowid: number, at: Date): Statement => ({
  sql: `insert into report_rollup_state (scope, last_rowid, rolled_at) values (?, ?, ?)
        on conflict (scope) do update set last_rowid = excluded.last_rowid, rolled_at = excluded.rolled_at`,
  args: [scope, lastRowid, at.getTime()],
});

/** Refuses the write (`invalid_state`) unless the job's position is still `readRowid`. */
const stillAtCondition = "coalesce((select last_rowid from report_rollup_state where scope = ?), 0) = ?";

/**
 * One step of the job, one atomic write: the fold of the journal rows after `readRowid` through `lastRowid` added to
 * the roll-ups, each program's zone recorded where it had none, and the position moved. It refuses itself
 * (`invalid_state`) when another run moved the position since `readRowid` was read, or rebuilt a program of the
 * batch in another zone than `zones` says this fold used: then nothing is written twice.
 */
export function rollupBatchStatements(input: {
  readRowid: number;
  lastRowid: number;
  zones: readonly { programId: string; timezone: string }[];
  folded: Folded;
  at: Date;
}): Statement[] {
  const zones = JSON.stringify(input.zones.map((zone) => [zone.programId, zone.timezone]));
  return [
    refusalStatement(
      "invalid_state",
      `${stillAtCondition} and not exists (select 1 from json_each(?) j
         join report_rollup_zones z on z.program_id = ${value(0)} where z.timezone <> ${value(1)})`,
      [scope, input.readRowid, zones],
    ),
    ...addFoldedStatements(input.folded),
    {
      sql: `insert or ignore into report_rollup_zones (program_id, timezone) select ${value(0)}, ${value(1)} from json_each(?) j`,
      args: [zones],
    },
    positionStatement(input.lastRowid, input.at),
  ];
}

/**
 * A program's roll-ups made again in one atomic write: what they held deleted, the fold of its journal through
 * `lastRowid` in the zone `timezone` written, and that zone recorded. It refuses itself (`invalid_state`) when the
 * job's position moved since `lastRowid` was read or the roll-ups are no longer in `rolledIn` (another run rebuilt
 * them), so a rebuild never mixes with a batch or another rebuild.
 */
export function rebuildProgramStatements(input: {
  programId: string;
  rolledIn: string;
  timezone: string;
  lastRowid: number;
  folded: Folded;
}): Statement[] {
  return [
    refusalStatement(
      "invalid_state",
      `${stillAtCondition} and exists (select 1 from report_rollup_zones where program_id = ? and timezone = ?)`,
      [scope, input.lastRowid, input.programId, input.rolledIn],
    ),
    { sql: "delete from report_daily where program_id = ?", args: [input.programId] },
    { sql: "delete from report_active_members where program_id = ?", args: [input.programId] },
    ...addFoldedStatements(input.folded),
    {
      sql: "update report_rollup_zones set timezone = ? where program_id = ?",
      args: [input.timezone, input.programId],
    },
  ];
}
