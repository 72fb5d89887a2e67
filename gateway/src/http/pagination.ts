import { z } from "@hono/zod-openapi";

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
