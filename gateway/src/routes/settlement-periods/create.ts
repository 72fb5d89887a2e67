import { createRoute, z } from "@hono/zod-openapi";
import { closePeriod } from "../../domain/settlement/close";
import { closePeriodEverywhere } from "../../domain/settlement/close-everywhere";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { StatementSummarySchema } from "../settlements/schemas";

const ClosePeriodBody = z
  .object({
    start: z.iso.datetime({ offset: true }).openapi({ example: "2026-10-01T00:00:00Z" }),
    end: z.iso.datetime({ offset: true }).openapi({ example: "2026-11-01T00:00:00Z", description: "Excluded" }),
  })
  .strict()
  .refine((body) => Date.parse(body.start) < Date.parse(body.end), { path: ["end"], message: "must be after start" })
  .openapi("ClosePeriod");

const SettlementPeriodSchema = z
  .object({
    id: z.string().openapi({ example: "stp_01jdz8b3d5f7h9k1m3p5r7t9v1" }),
    start: z.iso.datetime(),
    end: z.iso.datetime(),
    statements: z.array(StatementSummarySchema),
  })
  .openapi("SettlementPeriod");

export const route = createRoute({
  method: "post",
  path: "/v1/settlement-periods",
  operationId: "closeSettlementPeriod",
  tags: ["Settlements"],
  summary: "Close a settlement period",
  description:
    "Closes `[start, end)` and issues every partner's statements (one per currency) in one atomic write. The period " +
    "settles every movement made before `end` that no earlier period settled, priced with the agreement in force " +
    "when it happened; anything committed later falls in the next period. `end` must be in the past and the period " +
    "may not overlap the last one (409). Each statement is announced by `settlement.statement_ready`. With several " +
    "databases, each marks its own journal and the statements are then issued from every database's marked rows; " +
    "when a database cannot be reached (503), repeating the same close finishes it, and closing another period is " +
    "refused (409) until then.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator"), idempotency({ required: false, atomic: false })] as const,
  request: { body: { required: true, content: { "application/json": { schema: ClosePeriodBody } } } },
  responses: {
    201: {
      description: "The closed period and its statements",
      content: { "application/json": { schema: SettlementPeriodSchema } },
    },
    ...errorResponses(400, 401, 403, 409, 415, 422, 503),
  },
});

export type CloseSettlementPeriodRequest = OperationRequest<typeof route>;
export type CloseSettlementPeriodResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const deps = c.get("deps");
    const input = {
      start: new Date(body.start),
      end: new Date(body.end),
      closedBy: c.get("principal")?.clientId ?? "operator",
    };
    const { shards } = deps;
    const closed = shards ? await closePeriodEverywhere({ ...deps, shards }, input) : await closePeriod(deps, input);
    return c.json(
      SettlementPeriodSchema.parse({
        id: closed.id,
        start: closed.start.toISOString(),
        end: closed.end.toISOString(),
        statements: closed.statements.map((statement) => ({
          id: statement.id,
          period: statement.period,
          partner_id: statement.partner.id,
          currency: statement.currency,
          net_amount_minor: statement.totals.net_amount_minor,
          content_hash: statement.content_hash,
          created_at: statement.created_at,
        })),
      }),
      201,
    );
  });
