import {
  findRewardsBySku,
  fulfilmentKeptWhileOrdersOpen,
  importRewardsStatements,
  type RewardRow,
} from "../../db/queries/rewards";
import type { Deps } from "../../deps";
import { ApiError, type FieldError } from "../../errors";
import { type Caller, managedProgram } from "../programs";
import { writeCatalogue } from "./catalogue";
import { type CsvRow, readCsv } from "./csv-file";
import { type Reward, rewardLocales, rewardOf, rowOf } from "./reward";
import { catalogueFacts, type RewardInput, type RewardPatch, rewardProblems } from "./validate";

/** A row's fields checked by the request schemas of create and PATCH, or their problems at JSON paths. */
export type Checked<T> = { value: T } | { problems: FieldError[] };

/**
 * How an import checks a row's fields: as a create body for a new sku, as a PATCH body for a sku the program has
 * (routes/rewards/schemas.ts supplies both, so a row is checked exactly as the JSON calls check a body).
 */
export type RowChecks = {
  create(fields: Record<string, unknown>): Checked<RewardInput>;
  update(fields: Record<string, unknown>): Checked<RewardPatch>;
};

export type ImportError = { line: number; message: string };
export type ImportResult = { created: number; updated: number; errors: ImportError[] };

/** Columns holding numbers, read as numbers when they are written as whole or decimal numbers. */
const numberColumns = new Set(["points_price", "stock", "per_member_limit"]);
/** The columns an import file may have: the JSON fields, and `name.<locale>`, `description.<locale>`. */
export const importColumns = [
  "sku",
  "name",
  "description",
  "type",
  "points_price",
  "tiers",
  "stock",
  "per_member_limit",
  "fulfilment",
  "fulfilling_partner_id",
  "available_from",
  "available_until",
  "active",
  ...rewardLocales.flatMap((locale) => [`name.${locale}`, `description.${locale}`]),
];

/** A cell as its JSON field: numbers and booleans typed when they read as such (else left for the schema to refuse). */
function fieldValue(column: string, cell: string): unknown {
  if (numberColumns.has(column) && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(cell)) return Number(cell);
  if (column === "active" && /^(true|false)$/i.test(cell)) return cell.toLowerCase() === "true";
  if (column === "tiers") return cell.split("|").map((key) => key.trim());
  return cell;
}

/** A row's fields: one per non-empty cell (an empty cell is an absent field), translations gathered by locale. */
function fieldsOf(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const translations: Record<string, Record<string, string>> = {};
  header.forEach((column, i) => {
    const cell = cells[i] ?? "";
    if (cell === "") return;
    const [field, locale] = column.split(".") as [string, string | undefined];
    if (locale === undefined) fields[column] = fieldValue(column, cell);
    else translations[locale] = { ...translations[locale], [field]: cell };
  });
  if (Object.keys(translations).length > 0) fields.translations = translations;
  return fields;
}

/**
 * A known reward's row with its translations merged into those it has: a row's `name.ru` changes the Russian name
 * and leaves the other languages (and the Russian description) as they are, since an empty cell is an absent field.
 */
function withTranslations(fields: Record<string, unknown>, reward: Reward): Record<string, unknown> {
  const given = fields.translations as Record<string, Record<string, string>> | undefined;
  if (!given) return fields;
  const merged: Record<string, unknown> = { ...reward.translations };
  for (const [locale, translation] of Object.entries(given))
    merged[locale] = { ...reward.translations[locale as keyof Reward["translations"]], ...translation };
  return { ...fields, translations: merged };
}

/** A JSON path as the file names it: `translations.pt-BR.name` is the column `name.pt-BR`. */
const columnOf = (path: string) => path.replace(/^translations\.([^.]+)\.(name|description)$/, "$2.$1");
const lineErrors = (line: number, problems: readonly FieldError[]) =>
  problems.map((problem) => ({ line, message: `${columnOf(problem.path)}: ${problem.message}` }));

/** Problems of the header row: unknown and repeated columns, and the sku that matches rows to rewards. */
function headerErrors(header: readonly string[]): ImportError[] {
  const errors = header.flatMap((column, i) => {
    if (!importColumns.includes(column))
      return [{ line: 1, message: `unknown column "${column}" (the columns: ${importColumns.join(", ")})` }];
    return header.indexOf(column) === i ? [] : [{ line: 1, message: `column ${column} repeats` }];
  });
  if (!header.includes("sku")) errors.push({ line: 1, message: "no sku column: rows are matched to rewards by sku" });
  return errors;
}

type Planned = { created: Reward[]; updated: { reward: Reward; stockGiven: boolean }[]; errors: ImportError[] };

/** Every row checked as its create or PATCH would be, against the rewards the program has now. */
async function plan(
  deps: Pick<Deps, "db" | "reader" | "clock" | "ids">,
  programId: string,
  header: readonly string[],
  rows: readonly CsvRow[],
  checks: RowChecks,
  facts: Awaited<ReturnType<typeof catalogueFacts>>,
): Promise<Planned> {
  const planned: Planned = { created: [], updated: [], errors: [] };
  const read = rows.map((row) => ({ ...row, fields: fieldsOf(header, row.cells) }));
  const skus = read.flatMap(({ fields }) => (typeof fields.sku === "string" ? [fields.sku] : []));
  const existing = await findRewardsBySku(deps.reader, programId, skus);
  const seen = new Map<string, number>();
  const now = deps.clock.now();
  for (const { line, cells, fields } of read) {
    if (cells.length !== header.length) {
      planned.errors.push({ line, message: `has ${cells.length} cells; the header has ${header.length} columns` });
      continue;
    }
    const sku = typeof fields.sku === "string" ? fields.sku : undefined;
    const earlier = sku === undefined ? undefined : seen.get(sku);
    if (sku !== undefined && earlier !== undefined) {
      planned.errors.push({ line, message: `sku: ${sku} is on line ${earlier} already` });
      continue;
    }
    if (sku !== undefined) seen.set(sku, line);
    const row: RewardRow | undefined = sku === undefined ? undefined : existing.get(sku);
    if (row) {
      const checked = checks.update(withTranslations(fields, rewardOf(row)));
      if ("problems" in checked) planned.errors.push(...lineErrors(line, checked.problems));
      else {
        const reward = { ...rewardOf(row), ...checked.value, updatedAt: now };
        const problems = rewardProblems(facts, reward, checked.value);
        if (problems.length > 0) planned.errors.push(...lineErrors(line, problems));
        else planned.updated.push({ reward, stockGiven: checked.value.stock !== undefined });
      }
    } else {
      const checked = checks.create(fields);
      if ("problems" in checked) planned.errors.push(...lineErrors(line, checked.problems));
      else {
        const problems = rewardProblems(facts, checked.value, checked.value);
        const reward = { ...checked.value, id: deps.ids("rwd"), programId, createdAt: now, updatedAt: now };
        if (problems.length > 0) planned.errors.push(...lineErrors(line, problems));
        else planned.created.push(reward);
      }
    }
  }
  return planned;
}

/**
 * Imports a program's catalogue from a CSV product list (its owner or the operator): the header names the JSON
 * fields of a reward (`tiers` as keys separated by `|`, translations as `name.pt-BR`, `description.ru`); an empty
 * cell is an absent field. Rows are matched by sku: a new sku is created (checked as a create), a known one
 * changed (checked as a PATCH). Every problem is answered with the file's line, and any problem writes nothing;
 * otherwise every row is written in one atomic write. `dryRun` answers the same and writes nothing. Cells are
 * stored as sent (a cell that looks like a formula too: the CSV exports neutralise it).
 */
export async function importRewards(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  caller: Caller,
  programId: string,
  csv: string,
  options: { dryRun: boolean; checks: RowChecks },
): Promise<ImportResult> {
  const program = await managedProgram(deps, caller, programId);
  const file = readCsv(csv);
  if ("error" in file) return { created: 0, updated: 0, errors: [file.error] };
  const errors = headerErrors(file.header);
  if (errors.length > 0) return { created: 0, updated: 0, errors };
  const partnerIds = file.rows.map(({ cells }) => cells[file.header.indexOf("fulfilling_partner_id")]);
  const facts = await catalogueFacts(deps, program, partnerIds);
  // A sku another write creates between this read and the import's write fails the unique index: plan again.
  for (let attempt = 1; ; attempt++) {
    const planned = await plan(deps, program.id, file.header, file.rows, options.checks, facts);
    if (planned.errors.length > 0)
      return { created: 0, updated: 0, errors: planned.errors.sort((a, b) => a.line - b.line) };
    const result = { created: planned.created.length, updated: planned.updated.length, errors: [] };
    if (options.dryRun || file.rows.length === 0) return result;
    const statements = [
      ...planned.updated.map(({ reward }) => fulfilmentKeptWhileOrdersOpen(reward.id, reward.fulfilment)),
      ...importRewardsStatements(
        program.id,
        planned.created.map(rowOf),
        planned.updated.map(({ reward, stockGiven }) => ({ row: rowOf(reward), stockGiven })),
      ),
    ];
    try {
      await writeCatalogue(
        deps,
        statements,
        () => "Other writes kept creating rewards with skus of this file while it was imported; import it again.",
      );
      return result;
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "conflict") || attempt === 3) throw error;
    }
  }
}
