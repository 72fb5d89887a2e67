import { ApiError } from "../../errors";
import type { SqlValue } from "../writer";
import type { PageQuery } from "./pages";

/** Which cursor a page continues from, if any: the parameter's name (for a 400) and the item's id. */
export type MomentCursor = { param: "starting_after" | "ending_before"; id: string };

/**
 * The cursor of a list request, if it has one. Both at once is refused as `pageBy` refuses it (./pages.ts).
 */
export function momentCursorOf(query: PageQuery): MomentCursor | undefined {
  if (query.starting_after && query.ending_before)
    throw new ApiError("validation_failed", "Use starting_after or ending_before, not both.", {
      errors: [{ path: "ending_before", message: "cannot be combined with starting_after" }],
    });
  if (query.starting_after) return { param: "starting_after", id: query.starting_after };
  if (query.ending_before) return { param: "ending_before", id: query.ending_before };
  return undefined;
}

/** 400 for a cursor that names no item of the list: its moment cannot be known, so neither can the next page. */
export const unknownCursor = (cursor: MomentCursor, what: string) =>
  new ApiError("validation_failed", `${cursor.param} ${cursor.id} is not ${what}.`, {
    errors: [{ path: cursor.param, message: `is not ${what}` }],
  });

/**
 * Cursor paging of a list ordered newest first by a moment and then by id, for records whose order is a time they
 * carry rather than their ids' creation time (a touchpoint's `occurred_at` is the partner's to give; a member's
 * activity merges several kinds). The cursor is an item's id, and `at` its moment, which the caller resolved. Items of
 * equal moments are ordered by id, so a page that ends among them continues exactly after its last item: nothing is
 * lost or repeated. `after(at, id)` is the condition on a query's own columns (SQLite row values, which an index on
 * `(…, at, id)` serves); `orderBy` orders them the way the page is fetched.
 */
export function pageByMoment(query: PageQuery, cursor: (MomentCursor & { at: number }) | undefined) {
  const backwards = cursor?.param === "ending_before";
  return {
    after(at: string, id: string): { sql: string; args: SqlValue[] } {
      if (!cursor) return { sql: "1", args: [] };
      return { sql: `(${at}, ${id}) ${backwards ? ">" : "<"} (?, ?)`, args: [cursor.at, cursor.id] };
    },
    orderBy: (at: string, id: string) => (backwards ? `${at} asc, ${id} asc` : `${at} desc, ${id} desc`),
    fetch: query.limit + 1,
    page<T>(rows: T[]): { object: "list"; data: T[]; has_more: boolean } {
      const data = rows.slice(0, query.limit);
      return { object: "list", data: backwards ? data.reverse() : data, has_more: rows.length > query.limit };
    },
  };
}
