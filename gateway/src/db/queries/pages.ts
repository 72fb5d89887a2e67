import { and, asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { ApiError } from "../../errors";

/** A list request's paging: `?limit=&starting_after=&ending_before=` (http/pagination.ts validates it). */
export type PageQuery = { limit: number; starting_after?: string; ending_before?: string };

/** The order of a list: newest first (every list's default), or oldest first (a queue worked through in order). */
export type PageOrder = "newest_first" | "oldest_first";

/**
 * Cursor paging over prefixed ULID ids (which sort by creation time), newest first unless `order` says.
 * Returns the extra `where` condition, the order and a function that trims the fetched rows.
 */
export function pageBy(id: SQLiteColumn, query: PageQuery, order: PageOrder = "newest_first") {
  if (query.starting_after && query.ending_before)
    throw new ApiError("validation_failed", "Use starting_after or ending_before, not both.", {
      errors: [{ path: "ending_before", message: "cannot be combined with starting_after" }],
    });
  const backwards = query.ending_before !== undefined;
  const newest = order === "newest_first";
  // Items after the cursor are older ones when the list runs newest first, newer ones when it runs oldest first.
  const [after, before] = newest ? [lt, gt] : [gt, lt];
  const where: SQL | undefined = query.starting_after
    ? after(id, query.starting_after)
    : query.ending_before
      ? before(id, query.ending_before)
      : undefined;
  return {
    where,
    orderBy: backwards === newest ? asc(id) : desc(id),
    fetch: query.limit + 1,
    page<T>(rows: T[]): { object: "list"; data: T[]; has_more: boolean } {
      const hasMore = rows.length > query.limit;
      const data = rows.slice(0, query.limit);
      return { object: "list", data: backwards ? data.reverse() : data, has_more: hasMore };
    },
  };
}

export const both = (...conditions: (SQL | undefined)[]) => and(...conditions.filter(Boolean));
