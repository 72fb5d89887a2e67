import { createRoute } from "@hono/zod-openapi";
import { listPortalUsersPage } from "../../../db/queries/portal-users";
import { findPartner } from "../../../domain/partners";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { ListQuerySchema, listOf } from "../../../http/pagination";
import { PartnerIdParam } from "../schemas";
import { PortalUserSchema, toPortalUser } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/partners/{id}/users",
  operationId: "listPortalUsers",
  tags: ["Partners"],
  summary: "List portal users",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: { params: PartnerIdParam, query: ListQuerySchema },
  responses: {
    200: {
      description: "A page of portal users",
      content: { "application/json": { schema: listOf(PortalUserSchema, "PortalUserList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListPortalUsersRequest = OperationRequest<typeof route>;
export type ListPortalUsersResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { db } = c.get("deps");
    const partner = await findPartner(db, c.req.valid("param").id);
    const result = await listPortalUsersPage(db, partner.id, c.req.valid("query"));
    return c.json({ ...result, data: result.data.map(toPortalUser) }, 200);
  });
