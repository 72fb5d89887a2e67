import { createRoute, z } from "@hono/zod-openapi";
import { createAgreement } from "../../../domain/programs";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import { idempotency } from "../../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { AgreementSchema, EarnRateSchema, PriceMicros, ProgramIdParam, toAgreement } from "../schemas";

const CreateAgreementBody = z
  .object({
    partner_id: z.string().min(1).openapi({ example: "ptn_01jdz3r4t6y8u0i2o4p6a8s0d2" }),
    can_earn: z.boolean(),
    can_burn: z.boolean(),
    issue_price_micros: PriceMicros.openapi({ example: 11_000 }),
    redeem_price_micros: PriceMicros.openapi({ example: 9_500 }),
    earn_rate: EarnRateSchema.optional().openapi({
      description: "For earns by purchase; default 1 point per 100 minor units",
    }),
    valid_from: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "When this version takes effect (default now); never in the past" }),
  })
  .strict()
  .openapi("CreateAgreement");

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{id}/agreements",
  operationId: "createAgreement",
  tags: ["Programs"],
  summary: "Set an agreement",
  description:
    "Lets a partner earn and/or burn in the program at the given prices. A newer agreement for the same partner " +
    "supersedes the older from its `valid_from`; movements are always priced with the version in force when they happened.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator"), idempotency({ required: false, atomic: false })] as const,
  request: {
    params: ProgramIdParam,
    body: { required: true, content: { "application/json": { schema: CreateAgreementBody } } },
  },
  responses: {
    201: { description: "The agreement", content: { "application/json": { schema: AgreementSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type CreateAgreementRequest = OperationRequest<typeof route>;
export type CreateAgreementResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const deps = c.get("deps");
    const agreement = await createAgreement(deps, {
      programId: c.req.valid("param").id,
      partnerId: body.partner_id,
      canEarn: body.can_earn,
      canBurn: body.can_burn,
      issuePriceMicros: body.issue_price_micros,
      redeemPriceMicros: body.redeem_price_micros,
      earnPoints: body.earn_rate?.points ?? 1,
      earnPerAmountMinor: body.earn_rate?.per_amount_minor ?? 100,
      validFrom: body.valid_from ? new Date(body.valid_from) : undefined,
    });
    const status = agreement.validFrom.getTime() > deps.clock.now().getTime() ? "scheduled" : "in_force";
    return c.json(toAgreement(agreement, status), 201);
  });
