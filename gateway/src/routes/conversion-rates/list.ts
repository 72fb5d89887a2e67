import { createRoute, z } from "@hono/zod-openapi";
import { listConversionRates } from "../../db/queries/conversion-rates";
import { rateStatuses } from "../../domain/conversions/rates";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { listOf } from "../../http/pagination";
import { ConversionRateSchema, toConversionRate } from "./schemas";

/** Rates are few (a handful per program pair); the newest 500 are listed, narrowed by the filters. */
const maxRates = 500;

export const route = createRoute({
  method: "get",
  path: "/v1/conversion-rates",
  operationId: "listConversionRates",
  tags: ["Conversions"],
  summary: "List conversion rates",
  description:
    "Every rate, newest `valid_from` first, each marked scheduled, in force, superseded or expired. Filter by " +
    "`from_program_id` and `to_program_id`. Partners with `conversions:write` may read it to show members the rates.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["conversions:write"] }],
  middleware: [requireScope("operator", "conversions:write")] as const,
  request: {
    query: z.object({ from_program_id: z.string().optional(), to_program_id: z.string().optional() }),
  },
  responses: {
    200: {
      description: "The rates",
      content: { "application/json": { schema: listOf(ConversionRateSchema, "ConversionRateList") } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export type ListConversionRatesRequest = OperationRequest<typeof route>;
export type ListConversionRatesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { db, clock } = c.get("deps");
    const query = c.req.valid("query");
    const rows = await listConversionRates(
      db,
      { fromProgramId: query.from_program_id, toProgramId: query.to_program_id },
      maxRates + 1,
    );
    const page = rows.slice(0, maxRates);
    const statuses = rateStatuses(page, clock.now());
    const data = page.map((rate) => toConversionRate(rate, statuses.get(rate.id) ?? "in_force"));
    return c.json({ object: "list" as const, data, has_more: rows.length > maxRates }, 200);
  });
