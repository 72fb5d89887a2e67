import { createRoute, z } from "@hono/zod-openapi";
import { updatePartner } from "../../domain/partners";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { PartnerIdParam, PartnerSchema, toPartner } from "./schemas";

const UpdatePartnerBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    contact_email: z.email().max(254).optional(),
    requests_per_minute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .nullable()
      .optional()
      .openapi({ description: "Request limit per credential per minute; null restores the default" }),
  })
  .strict()
  .openapi("UpdatePartner", { example: { requests_per_minute: 600 } });

export const route = createRoute({
  method: "patch",
  path: "/v1/partners/{id}",
  operationId: "updatePartner",
  tags: ["Partners"],
  summary: "Update a partner",
  description: "Changes the partner's details or its request limit. Fields left out keep their value.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: {
    params: PartnerIdParam,
    body: { required: true, content: { "application/json": { schema: UpdatePartnerBody } } },
  },
  responses: {
    200: { description: "The updated partner", content: { "application/json": { schema: PartnerSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type UpdatePartnerRequest = OperationRequest<typeof route>;
export type UpdatePartnerResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const partner = await updatePartner(c.get("deps").db, c.req.valid("param").id, {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.contact_email !== undefined && { contactEmail: body.contact_email }),
      ...(body.requests_per_minute !== undefined && { requestsPerMinute: body.requests_per_minute }),
    });
    return c.json(toPartner(partner), 200);
  });
