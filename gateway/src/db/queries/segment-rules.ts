import type { SqlValue } from "../writer";

/** A dynamic segment's rule as stored (JSON in `segments.rule`); domain/segments/rule.ts validates it. */
export type Op = "eq" | "neq" | "in" | "nin" | "gt" | "gte" | "lt" | "lte" | "exists" | "contains";
export type Scalar = string | number | boolean;
export type Condition = { field: string; op: Op; value: Scalar | Scalar[] };
export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;

/** A segment as a rule referencing it sees it: a static list, or a dynamic rule inlined where it is named. */
export type ReferencedSegment = { type: "dynamic" | "static"; rule: Rule | null };

type Sql = { sql: string; args: SqlValue[] };
type Context = {
  now: Date;
  /** Fields beside the member's, as SQL over the rows the rule filters (an ad-hoc report's dataset columns). */
  columns: Readonly<Record<string, string>>;
  segments: ReadonlyMap<string, ReferencedSegment>;
  inlining: readonly string[];
  /** Set when a field counts days at `now`: the SQL then holds for that instant only. */
  timed: { value: boolean };
};

const dayMs = 86_400_000;

/** The expression of a field over the member row `m`, null where the member has no such value. */
function fieldSql(field: string, now: Date): string {
  const at = literal(now.getTime());
  switch (field) {
    case "tier":
      return "m.tier_key";
    case "locale":
      return "m.locale";
    case "balance.available":
      // A member's available points account has the member's id.
      return "(select a.balance from accounts a where a.id = m.id)";
    case "lifetime_earned":
      return "m.lifetime_earned";
    case "days_since_last_earn":
      // Earns not fully reversed, read from the index tiers qualify with.
      return `((${at} - (select max(t.created_at) from ledger_transactions t
                 where t.member_id = m.id and t.type = 'earn' and t.reversed_points < t.points)) / ${dayMs})`;
    case "days_since_enrolment":
      return `((${at} - m.created_at) / ${dayMs})`;
    case "rfm.r":
    case "rfm.f":
    case "rfm.m":
    case "rfm.segment":
      return `(select x.${field.slice(4)} from member_rfm x where x.member_id = m.id)`;
    default:
      throw new Error(`no SQL for field ${field}`);
  }
}

const comparisons = { eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

/**
 * A rule's values written into its SQL as literals rather than bound: D1 binds at most 100 arguments to a
 * statement, and one member's membership in every segment of a program is one statement. Values were checked
 * (finite numbers; strings without NUL), and a string literal only needs its quotes doubled.
 */
function literal(value: string | number): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (value.includes("\0")) throw new Error("a NUL in a rule's string");
  return `'${value.replaceAll("'", "''")}'`;
}

/** Never null: a condition on a value the member lacks is false, and `not` of it true. */
const sure = (sql: string) => `coalesce(${sql}, 0)`;
const not = (sql: string) => `(not ${sql})`;
/**
 * `a and b and ...` as a balanced tree: SQLite parses a flat chain as a tree as deep as it is long, and D1 refuses
 * expressions deeper than 100.
 */
function joined(parts: readonly string[], operator: "and" | "or"): string {
  if (parts.length === 1) return parts[0] as string;
  const half = Math.ceil(parts.length / 2);
  return `(${joined(parts.slice(0, half), operator)} ${operator} ${joined(parts.slice(half), operator)})`;
}

/** A condition on an attribute: typed, so the string "1", the number 1 and true never equal one another. */
function attributeSql(key: string, condition: Condition): string {
  const path = literal(`$."${key}"`);
  const type = `json_type(m.attributes, ${path})`;
  const value = `json_extract(m.attributes, ${path})`;
  // One flat `in` per type of the values (a string, a number and a boolean never equal one another).
  const oneOf = (values: readonly Scalar[]): string => {
    const strings = values.filter((scalar) => typeof scalar === "string");
    const numbers = values.filter((scalar) => typeof scalar === "number");
    const booleans = values.filter((scalar) => typeof scalar === "boolean");
    const parts = [
      ...(strings.length > 0 ? [`(${type} = 'text' and ${value} in (${strings.map(literal).join(", ")}))`] : []),
      ...(numbers.length > 0
        ? [`(${type} in ('integer', 'real') and ${value} in (${numbers.map(literal).join(", ")}))`]
        : []),
      ...booleans.map((scalar) => `${type} = '${scalar ? "true" : "false"}'`),
    ];
    return sure(joined(parts, "or"));
  };
  const { op } = condition;
  const any = () => oneOf([...new Set([condition.value].flat())]);
  switch (op) {
    case "exists":
      return `(${type} is ${condition.value ? "not " : ""}null)`;
    case "eq":
    case "in":
      return any();
    case "neq":
    case "nin":
      return `(not ${any()})`;
    case "contains":
      return sure(`(${type} = 'text' and instr(${value}, ${literal(condition.value as string)}) > 0)`);
    default:
      return sure(
        `(${type} in ('integer', 'real') and ${value} ${comparisons[op]} ${literal(condition.value as number)})`,
      );
  }
}

/** Membership of a referenced segment: a static list's rows, or the dynamic segment's rule inlined. */
function membershipSql(id: string, context: Context): string {
  const segment = context.segments.get(id);
  // Rules referencing a missing segment are refused when written; one deleted since matches no one.
  if (!segment) return "0";
  if (segment.type === "static" || !segment.rule)
    return `m.id in (select sm.member_id from segment_members sm where sm.segment_id = ${literal(id)})`;
  if (context.inlining.includes(id)) throw new Error(`segment ${id} references itself`);
  return ruleSql(segment.rule, { ...context, columns: {}, inlining: [...context.inlining, id] });
}

function conditionSql(condition: Condition, context: Context): string {
  const { field, op } = condition;
  const scalars = [...new Set([condition.value].flat())];
  if (field === "segment") {
    const any = joined(
      scalars.map((id) => membershipSql(id as string, context)),
      "or",
    );
    return op === "neq" || op === "nin" ? not(any) : any;
  }
  if (field.startsWith("attributes.")) return attributeSql(field.slice("attributes.".length), condition);
  if (field.startsWith("days_since_")) context.timed.value = true;
  const expression = Object.hasOwn(context.columns, field)
    ? (context.columns[field] as string)
    : fieldSql(field, context.now);
  switch (op) {
    case "exists":
      return `(${expression} is ${condition.value ? "not " : ""}null)`;
    case "in":
    case "nin": {
      const inList = sure(
        `${expression} in (${scalars.map((scalar) => literal(scalar as string | number)).join(", ")})`,
      );
      return op === "in" ? inList : `(not ${inList})`;
    }
    case "neq":
      return `(not ${sure(`${expression} = ${literal(condition.value as string | number)}`)})`;
    case "contains":
      return sure(`instr(${expression}, ${literal(condition.value as string)}) > 0`);
    default:
      return sure(`${expression} ${comparisons[op]} ${literal(condition.value as string | number)}`);
  }
}

function ruleSql(rule: Rule, context: Context): string {
  if ("all" in rule)
    return joined(
      rule.all.map((child) => ruleSql(child, context)),
      "and",
    );
  if ("any" in rule)
    return joined(
      rule.any.map((child) => ruleSql(child, context)),
      "or",
    );
  if ("not" in rule) return not(ruleSql(rule.not, context));
  return conditionSql(rule, context);
}

/**
 * The longest SQL a compiled rule may be. Referenced segments are inlined, so a rule naming segments that name
 * segments grows with each level; D1 refuses statements over 100 KB, and a member's segments are read together.
 */
export const maxCompiledRuleLength = 40_000;

/**
 * A valid rule as an SQL condition over the member row aliased `m` (true or false, never null), its values
 * written in as literals (so `args` is empty); days are counted at `now`. Referenced dynamic segments are inlined, so
 * one member's membership is one indexed look-up per fact and a count is one pass over the program's members.
 * `timed` says whether the SQL depends on `now` (a rule without `days_since_*` compiles the same at any instant).
 * `columns` are the SQL of fields beside the member's (a dataset's, for rules over its rows joined to `m`); inlined
 * segments' rules only ever name the member's.
 */
export function compileRule(
  rule: Rule,
  now: Date,
  segments: ReadonlyMap<string, ReferencedSegment>,
  columns: Readonly<Record<string, string>> = {},
): Sql & { timed: boolean } {
  const timed = { value: false };
  const sql = ruleSql(rule, { now, columns, segments, inlining: [], timed });
  return { sql, args: [], timed: timed.value };
}
