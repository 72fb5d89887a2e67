import { createRoute, z } from "@hono/zod-openapi";
import { createRate, rateStatuses } from "../../domain/conversions/rates";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ConversionRateSchema, toConversionRate } from "./schemas";

const Points = z.number().int().min(1).max(1_000_000_000);

const CreateRateBody = z
  .object({
    from_program_id: z.string().min(1),
    to_program_id: z.string().min(1),
    from_points: z.number().int().min(1).max(1_000_000).openapi({ example: 1000 }),
    to_points: z.number().int().min(1).max(1_000_000).openapi({ example: 600 }),
    min_points: Points.openapi({ example: 1000 }),
    increment: Points.openapi({ example: 1000 }),
    max_points_per_day: Points.nullable().optional().openapi({ example: 50_000 }),
    fee_bps: z.number().int().min(0).max(9_999).openapi({ example: 150 }),
    valid_from: z.iso.datetime({ offset: true }).optional(),
    valid_until: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict()
  .openapi("CreateConversionRate");

export const route = createRoute({
  method: "post",
  path: "/v1/conversion-rates",
  operationId: "createConversionRate",
  tags: ["Conversions"],
  summary: "Publish a conversion rate",
  description:
    "An integer ratio `from_points : to_points` for one ordered program pair, with a minimum, an increment, an " +
    "optional daily maximum per member and a fee in basis points. A newer rate for the pair supersedes the older " +
    "from its `valid_from`; quotes already given keep their rate until they expire.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator"), idempotency({ required: false, atomic: false })] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateRateBody } } } },
  responses: {
    201: { description: "The rate", content: { "application/json": { schema: ConversionRateSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type CreateConversionRateRequest = OperationRequest<typeof route>;
export type CreateConversionRateResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const deps = c.get("deps");
    const rate = await createRate(deps, {
      fromProgramId: body.from_program_id,
      toProgramId: body.to_program_id,
      fromPoints: body.from_points,
      toPoints: body.to_points,
      minPoints: body.min_points,
      increment: body.increment,
      maxPointsPerDay: body.max_points_per_day ?? null,
      feeBps: body.fee_bps,
      validFrom: body.valid_from ? new Date(body.valid_from) : undefined,
      validUntil: body.valid_until ? new Date(body.valid_until) : null,
    });
    const status = rateStatuses([rate], deps.clock.now()).get(rate.id) ?? "in_force";
    return c.json(toConversionRate(rate, status), 201);
  });
