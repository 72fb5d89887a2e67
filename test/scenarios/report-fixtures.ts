import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import type { Gateway } from "./gateway";
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
