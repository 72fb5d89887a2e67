import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import { addAgreement, onboardPartner } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectProblem } from "./harness";
import type { Answer, Credential } from "./target";

/** A report's query: local dates, a CSV table. */
export type ReportQuery = { from?: string; to?: string; table?: string };

const queryString = (query: ReportQuery) => {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
  return params.size === 0 ? "" : `?${params}`;
};

/** Calls a report (`path` without `.csv`) and its CSV download as `as`. */
export function reportCalls(gw: Gateway, path: string) {
  return {
    json: (as: Credential, query: ReportQuery = {}) => gw.call("GET", `${path}${queryString(query)}`, { as }),
    csv: (as: Credential, query: ReportQuery = {}) => gw.call("GET", `${path}.csv${queryString(query)}`, { as }),
  };
}

/**
 * Checks that a CSV download is one JSON table of the report, cell for cell: the byte order mark, CRLF line ends,
 * a header of the JSON names (of `columns`, in order) and a row per JSON row (null an empty cell, numbers as JSON
 * writes them).
 */
export function expectCsvOf(answer: Answer, columns: readonly string[], rows: readonly Record<string, unknown>[]) {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(answer.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
  expect([...answer.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(answer.text.endsWith("\r\n")).toBe(true);
  expect(answer.text.replaceAll("\r\n", "")).not.toContain("\n");
  const records = parse(answer.text, { bom: true }) as string[][];
  for (const row of rows) expect(Object.keys(row)).toEqual(columns);
  const cell = (value: unknown) => (value === null ? "" : String(value));
  expect(records).toEqual([[...columns], ...rows.map((row) => columns.map((column) => cell(row[column])))]);
}

/**
 * Checks who may read a program's report (JSON and CSV): its owner and the operator; a partner with an agreement
 * in the program 403 and any other partner 404, as on every programs:manage route; a bad date 400 naming it.
 */
export async function expectManagedReport(
  gw: Gateway,
  report: ReturnType<typeof reportCalls>,
  program: { programId: string; owner: Credential },
) {
  const partner = await onboardPartner(gw);
  await addAgreement(gw, program.programId, partner.id);
  const stranger = await onboardPartner(gw);
  for (const call of [report.json, report.csv]) {
    expect((await call(program.owner)).status).toBe(200);
    expect((await call(gw.operator)).status).toBe(200);
    expectProblem(await call(partner), 403, "forbidden");
    expectProblem(await call(stranger), 404, "not_found");
    const bad = expectProblem(await call(program.owner, { from: "2026-02-30" }), 400, "validation_failed");
    expect(bad.errors?.map((e) => e.path)).toEqual(["from"]);
  }
}

/** The local date of `at` in `timeZone` (YYYY-MM-DD), and the day `days` after a date. */
export const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(at);
export const plusDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
