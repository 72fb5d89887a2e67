import { createRoute } from "@hono/zod-openapi";
import { listPartnersPage } from "../../db/queries/partners";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { PartnerSchema, toPartner } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/partners",
  operationId: "listPartners",
  tags: ["Partners"],
  summary: "List partners",
  description: "Every partner of the coalition, newest first.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: { query: ListQuerySchema },
  responses: {
    200: {
      description: "A page of partners",
      content: { "application/json": { schema: listOf(PartnerSchema, "PartnerList") } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export type ListPartnersRequest = OperationRequest<typeof route>;
export type ListPartnersResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const result = await listPartnersPage(c.get("deps").db, c.req.valid("query"));
    return c.json({ ...result, data: result.data.map(toPartner) }, 200);
  });
