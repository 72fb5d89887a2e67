import { createRoute, z } from "@hono/zod-openapi";
import { listRedemptions } from "../../domain/redemptions/find";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema } from "../../http/pagination";
import { RedemptionListSchema, statuses, toRedemption } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/redemptions",
  operationId: "listRedemptions",
  tags: ["Redemptions"],
  summary: "List redemptions (the fulfilment queue)",
  description:
    "The orders you may see: a partner those of the programs it owns, those it fulfils and those it placed; the " +
    "operator every one. Newest first like every list; `?order=oldest_first` works through a queue in the order " +
    "it came (`?status=pending&order=oldest_first` is the fulfilment queue). Cursor pagination either way.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("operator", "programs:manage", "members:read")] as const,
  request: {
    query: ListQuerySchema.extend({
      status: z.enum(statuses).optional(),
      program_id: z.string().min(1).optional().openapi({ example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
      order: z.enum(["newest_first", "oldest_first"]).default("newest_first"),
    }).strict(),
  },
  responses: {
    200: {
      description: "A page of redemptions",
      content: { "application/json": { schema: RedemptionListSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListRedemptionsRequest = OperationRequest<typeof route>;
export type ListRedemptionsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { status, program_id, order, ...page } = c.req.valid("query");
    const result = await listRedemptions(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      { status, programId: program_id },
      page,
      order,
    );
    return c.json({ ...result, data: result.data.map(toRedemption) }, 200);
  });
