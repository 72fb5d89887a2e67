import { createRoute, z } from "@hono/zod-openapi";
import { updateProgram } from "../../domain/programs";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdParam, ProgramSchema, ProgramStatus, TimeZone, toProgram } from "./schemas";

const UpdateProgramBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    timezone: TimeZone.optional(),
    points_expire_after_days: z
      .number()
      .int()
      .min(1)
      .max(36_500)
      .nullable()
      .optional()
      .openapi({ description: "Days after which earned points expire; null stops expiry for points earned from now" }),
    status: ProgramStatus.optional(),
  })
  .strict()
  .openapi("UpdateProgram", { example: { timezone: "Europe/Lisbon" } });

export const route = createRoute({
  method: "patch",
  path: "/v1/programs/{id}",
  operationId: "updateProgram",
  tags: ["Programs"],
  summary: "Update a program's settings",
  description:
    "Its name, time zone, points expiry or status; fields left out keep their value. For the partner that owns the " +
    "program (scope `programs:manage`) and the operator. A partner with only an agreement gets 403, any other 404.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateProgramBody } } },
  },
  responses: {
    200: { description: "The program as it is now", content: { "application/json": { schema: ProgramSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type UpdateProgramRequest = OperationRequest<typeof route>;
export type UpdateProgramResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const program = await updateProgram(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").id,
      {
        name: body.name,
        timezone: body.timezone,
        pointsExpireAfterDays: body.points_expire_after_days,
        status: body.status,
      },
    );
    return c.json(toProgram(program), 200);
  });
