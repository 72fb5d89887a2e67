import type { Op, Rule } from "../../db/queries/segment-rules";
import { rfmSegments } from "../rfm/segments";

export type { Rule };

/**
 * The rule grammar of dynamic segments (API-programs.md, "Segments and RFM"): `{ all: [rule...] }`,
 * `{ any: [rule...] }`, `{ not: rule }`, or a condition `{ field, op, value }`. `checkRule` validates a rule as
 * the API received it and answers every problem at its JSON path (`rule.all[1].value`), so a partner sees at
 * once all that is wrong, however deep.
 */

export const ops = ["eq", "neq", "in", "nin", "gt", "gte", "lt", "lte", "exists", "contains"] as const satisfies Op[];

/** What a field's values are, which decides the ops it takes; `choice` is one of a closed list of strings. */
type Kind = "string" | "number" | "score" | "rfm_segment" | "segment" | "attribute" | "choice";

/**
 * Fields another grammar adds to the member's (an ad-hoc report's dataset columns, such as a transaction's `type`):
 * each "string", "number", or the closed list of strings it takes.
 */
export type ExtraFields = Readonly<Record<string, "string" | "number" | readonly string[]>>;

/** A field as a condition reads it: its kind and, for a `choice`, the strings it takes. */
type FieldType = { kind: Kind; choices?: readonly string[] };

/** The fields a condition may name; `attributes.<key>` is any attribute. */
export const fields = {
  tier: "string",
  locale: "string",
  "balance.available": "number",
  lifetime_earned: "number",
  days_since_last_earn: "number",
  days_since_enrolment: "number",
  "rfm.r": "score",
  "rfm.f": "score",
  "rfm.m": "score",
  "rfm.segment": "rfm_segment",
  segment: "segment",
} as const satisfies Record<string, Kind>;

const opsOf: Record<Kind, readonly Op[]> = {
  string: ["eq", "neq", "in", "nin", "exists", "contains"],
  number: ["eq", "neq", "in", "nin", "gt", "gte", "lt", "lte", "exists"],
  score: ["eq", "neq", "in", "nin", "gt", "gte", "lt", "lte", "exists"],
  rfm_segment: ["eq", "neq", "in", "nin", "exists"],
  segment: ["eq", "neq", "in", "nin"],
  attribute: ops,
  choice: ["eq", "neq", "in", "nin", "exists"],
};

export type RuleProblem = { path: string; message: string };

/** Limits that keep a rule cheap to compile and evaluate. */
export const ruleLimits = { depth: 8, conditions: 100, listItems: 100, stringLength: 500 };

const attributeKey = /^attributes\.([A-Za-z0-9_.-]{1,64})$/;

function typeOf(field: unknown, extra: ExtraFields): FieldType | undefined {
  if (typeof field !== "string") return undefined;
  if (Object.hasOwn(extra, field)) {
    const spec = extra[field] as ExtraFields[string];
    return typeof spec === "string" ? { kind: spec } : { kind: "choice", choices: spec };
  }
  if (Object.hasOwn(fields, field)) return { kind: fields[field as keyof typeof fields] };
  return attributeKey.test(field) && field !== "attributes.__proto__" ? { kind: "attribute" } : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The problem with one scalar value of a field, if any. */
function scalarProblem({ kind, choices = [] }: FieldType, op: Op, value: unknown): string | undefined {
  const string = (text: unknown) =>
    typeof text === "string" && text.length > 0 && text.length <= ruleLimits.stringLength && !text.includes("\0")
      ? undefined
      : `must be a string of 1 to ${ruleLimits.stringLength} characters (no NUL)`;
  switch (kind) {
    case "string":
      return string(value);
    case "number":
      return typeof value === "number" && Number.isSafeInteger(value) ? undefined : "must be a whole number";
    case "score":
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5
        ? undefined
        : "must be a score from 1 to 5";
    case "rfm_segment":
      return (rfmSegments as readonly unknown[]).includes(value)
        ? undefined
        : `must be one of ${rfmSegments.join(", ")}`;
    case "segment":
      return typeof value === "string" && /^seg_[0-9a-z]{26}$/.test(value) ? undefined : "must be a segment id";
    case "choice":
      return choices.includes(value as string) ? undefined : `must be one of ${choices.join(", ")}`;
    case "attribute":
      if (["gt", "gte", "lt", "lte"].includes(op))
        return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a number";
      if (op === "contains") return string(value);
      if (typeof value === "string") return string(value);
      return typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))
        ? undefined
        : "must be a string, a number or a boolean";
  }
}

function valueProblems(type: FieldType, op: Op, value: unknown, path: string): RuleProblem[] {
  if (op === "exists") return typeof value === "boolean" ? [] : [{ path, message: "must be true or false" }];
  if (op === "in" || op === "nin") {
    if (!Array.isArray(value) || value.length === 0 || value.length > ruleLimits.listItems)
      return [{ path, message: `must be a list of 1 to ${ruleLimits.listItems} values` }];
    return value.flatMap((item, index) => {
      const message = scalarProblem(type, "eq", item);
      return message ? [{ path: `${path}[${index}]`, message }] : [];
    });
  }
  const message = scalarProblem(type, op, value);
  return message ? [{ path, message }] : [];
}

/**
 * Checks a rule as received (any JSON). Answers the problems, each at its path under `at`, and the segment ids
 * it references; a rule with no problems is a valid `Rule`. `extra` fields are accepted beside the member's.
 */
export function checkRule(
  input: unknown,
  at = "rule",
  extra: ExtraFields = {},
): { problems: RuleProblem[]; references: string[] } {
  const problems: RuleProblem[] = [];
  const references = new Set<string>();
  let conditions = 0;
  const visit = (node: unknown, path: string, depth: number): void => {
    if (depth > ruleLimits.depth) {
      problems.push({ path, message: `nests deeper than ${ruleLimits.depth} levels` });
      return;
    }
    if (!isObject(node)) {
      problems.push({ path, message: "must be an object: { all }, { any }, { not } or { field, op, value }" });
      return;
    }
    const keys = Object.keys(node);
    const group = keys.find((key) => key === "all" || key === "any");
    if (group || keys.includes("not")) {
      if (keys.length !== 1) {
        problems.push({ path, message: "takes exactly one of all, any or not, and nothing beside it" });
        return;
      }
      if (keys[0] === "not") {
        visit(node.not, `${path}.not`, depth + 1);
        return;
      }
      const list = node[group as string];
      if (!Array.isArray(list) || list.length === 0 || list.length > 50) {
        problems.push({ path: `${path}.${group}`, message: "must be a list of 1 to 50 rules" });
        return;
      }
      list.forEach((child, index) => {
        visit(child, `${path}.${group}[${index}]`, depth + 1);
      });
      return;
    }
    const unknown = keys.filter((key) => key !== "field" && key !== "op" && key !== "value");
    if (unknown.length > 0) {
      problems.push({ path, message: `has unknown keys ${unknown.join(", ")}` });
      return;
    }
    conditions++;
    const type = typeOf(node.field, extra);
    if (!type)
      problems.push({
        path: `${path}.field`,
        message: `must be one of ${[...Object.keys(extra), ...Object.keys(fields)].join(", ")} or attributes.<key>`,
      });
    if (!ops.includes(node.op as Op)) {
      problems.push({ path: `${path}.op`, message: `must be one of ${ops.join(", ")}` });
      return;
    }
    const op = node.op as Op;
    if (!type) return;
    if (!opsOf[type.kind].includes(op)) {
      problems.push({ path: `${path}.op`, message: `${node.field} takes ${opsOf[type.kind].join(", ")}` });
      return;
    }
    if (!("value" in node)) {
      problems.push({ path: `${path}.value`, message: "is required" });
      return;
    }
    const found = valueProblems(type, op, node.value, `${path}.value`);
    problems.push(...found);
    if (type.kind === "segment" && found.length === 0)
      for (const id of [node.value].flat()) references.add(id as string);
  };
  visit(input, at, 1);
  if (conditions > ruleLimits.conditions)
    problems.push({ path: at, message: `has ${conditions} conditions; at most ${ruleLimits.conditions}` });
  return { problems, references: [...references] };
}

/** The segment ids a valid rule references. */
export const referencesOf = (rule: Rule): string[] => checkRule(rule).references;
