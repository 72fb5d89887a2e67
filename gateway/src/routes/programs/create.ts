import { createRoute, z } from "@hono/zod-openapi";
import { createProgram } from "../../domain/programs";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { CurrencyCode, PriceMicros, ProgramSchema, toProgram } from "./schemas";

const CreateProgramBody = z
  .object({
    partner_id: z.string().min(1).openapi({ example: "ptn_01jdz3k7q8m2x9v4b6n0c5t1wa" }),
    name: z.string().trim().min(1).max(200).openapi({ example: "SkyWays Miles" }),
    point_name: z.string().trim().min(1).max(50).openapi({ example: "mile" }),
    settlement_currency: CurrencyCode,
    issue_price_micros: PriceMicros.openapi({ example: 12_000 }),
    redeem_price_micros: PriceMicros.openapi({ example: 10_000 }),
    points_expire_after_days: z.number().int().min(1).max(36_500).nullable().optional().openapi({ example: 730 }),
    review_threshold_points: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .nullable()
      .optional()
      .openapi({ description: "Conversions out of the program above this many points are held for review" }),
    database: z.string().min(1).max(32).optional().openapi({
      description:
        "The database that holds the program's members and ledger, one of `main` (DATABASE_URL, the default) and the names of DATABASE_SHARDS; fixed for good. An unknown name: 422 `unknown_database`.",
      example: "main",
    }),
  })
  .strict()
  .openapi("CreateProgram");

export const route = createRoute({
  method: "post",
  path: "/v1/programs",
  operationId: "createProgram",
  tags: ["Programs"],
  summary: "Create a program",
  description:
    "A points currency run by `partner_id`. The owner gets an agreement to earn and burn at the published prices.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator"), idempotency({ required: false, atomic: false })] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateProgramBody } } } },
  responses: {
    201: { description: "The program", content: { "application/json": { schema: ProgramSchema } } },
    ...errorResponses(400, 401, 403, 404, 415, 422),
  },
});

export type CreateProgramRequest = OperationRequest<typeof route>;
export type CreateProgramResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const program = await createProgram(c.get("deps"), {
      partnerId: body.partner_id,
      name: body.name,
      pointName: body.point_name,
      settlementCurrency: body.settlement_currency,
      issuePriceMicros: body.issue_price_micros,
      redeemPriceMicros: body.redeem_price_micros,
      pointsExpireAfterDays: body.points_expire_after_days ?? null,
      reviewThresholdPoints: body.review_threshold_points ?? null,
      database: body.database,
    });
    return c.json(toProgram(program), 201);
  });
