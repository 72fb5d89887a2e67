import { z } from "@hono/zod-openapi";
import { and, asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { ApiError } from "../errors";

/** `?limit=&starting_after=&ending_before=` of every list. */
export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
  starting_after: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Id of the last item of the previous page" }),
  ending_before: z.string().min(1).max(64).optional().openapi({ description: "Id of the first item of the next page" }),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

/** `{ object: "list", data, has_more }` around an item schema. */
export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean() }).openapi(name);

/**
 * Cursor paging over prefixed ULID ids (which sort by creation time), newest first.
 * Returns the extra `where` condition, the order and a function that trims the fetched rows.
 */
export function pageBy(id: SQLiteColumn, query: ListQuery) {
  if (query.starting_after && query.ending_before)
    throw new ApiError("validation_failed", "Use starting_after or ending_before, not both.", {
      errors: [{ path: "ending_before", message: "cannot be combined with starting_after" }],
    });
  const backwards = query.ending_before !== undefined;
  const where: SQL | undefined = query.starting_after
    ? lt(id, query.starting_after)
    : query.ending_before
      ? gt(id, query.ending_before)
      : undefined;
  return {
    where,
    orderBy: backwards ? asc(id) : desc(id),
    fetch: query.limit + 1,
    page<T>(rows: T[]): { object: "list"; data: T[]; has_more: boolean } {
      const hasMore = rows.length > query.limit;
      const data = rows.slice(0, query.limit);
      return { object: "list", data: backwards ? data.reverse() : data, has_more: hasMore };
    },
  };
}

export const both = (...conditions: (SQL | undefined)[]) => and(...conditions.filter(Boolean));
