import { createRoute, z } from "@hono/zod-openapi";
import {
  breakageWindowDays,
  expiringBucketDays,
  type Liability,
  liabilityReport,
} from "../../domain/reports/liability";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../tiers/schemas";

const LiabilityQuery = z
  .object({
    as_of: z.iso.datetime({ offset: true }).optional().openapi({
      description: "The instant to report as of (RFC 3339); now when left out. Not in the future.",
      example: "2026-06-30T23:59:59Z",
    }),
  })
  .strict();

const LiabilityReportSchema = z
  .object({
    program_id: z.string(),
    as_of: z.iso.datetime(),
    outstanding_points: z.number().int().openapi({
      description: "Points the program's members held at `as_of`, available and pending (held for a review)",
    }),
    value: z.object({ amount_minor: z.number().int(), currency: z.string().openapi({ example: "USD" }) }).openapi({
      description:
        "`outstanding_points` at the owner's redeem price (`redeem_price_micros` of its agreement in force at " +
        "`as_of`), in minor units of the program's settlement currency, rounded once, half to even, as a " +
        "settlement statement's line is",
    }),
    expiring: z
      .array(
        z.object({
          until: z.iso.datetime().nullable().openapi({
            description: "The bucket's points expire after the previous bucket's `until` and by this; null: never",
          }),
          points: z.number().int(),
        }),
      )
      .openapi({
        description:
          `The outstanding points by when they expire, soonest first, summing to \`outstanding_points\`: within ` +
          `${expiringBucketDays.join(", ")} days of \`as_of\` (always listed, 0 included; points already due that ` +
          "the expiry job had not expired yet count in the first); then, only when some expire later, a bucket up to " +
          "the last lot's expiry; last, with `until` null, the points with no expiry scheduled: credited without " +
          "one, or pending (held points come back to their lots only if released). Lots are consumed oldest expiry " +
          "first (FIFO), as the expiry job and a member's `balance.expiring` count them.",
      }),
    breakage_rate_365d: z
      .number()
      .nullable()
      .openapi({
        description:
          `Points expired in the ${breakageWindowDays} days up to \`as_of\` (\`as_of\` - ${breakageWindowDays} days ` +
          "excluded, `as_of` included) ÷ points issued in the same window: earns and bonuses net of the reversals " +
          "made in it, as the KPI report's `points_earned` + `bonus_points`. Four decimals; null when nothing was issued.",
        example: 0.082,
      }),
  })
  .openapi("LiabilityReport");

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/reports/liability",
  operationId: "getLiabilityReport",
  tags: ["Reports"],
  summary: "Get a program's points liability as of an instant",
  description:
    "The points the program's members held at `as_of` and their value at the owner's redeem price, when they " +
    "expire, and the trailing 365-day breakage rate. Folded from the journal rows written by `as_of` (a reversal " +
    "made later does not count), never from current balances, so a past instant reads as it stood then. For the " +
    "program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam, query: LiabilityQuery },
  responses: {
    200: {
      description: "The program's liability as of `as_of`",
      content: { "application/json": { schema: LiabilityReportSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type GetLiabilityReportRequest = OperationRequest<typeof route>;
export type GetLiabilityReportResponse = OperationResponse<typeof route>;

const toLiabilityReport = (liability: Liability): z.infer<typeof LiabilityReportSchema> => ({
  program_id: liability.programId,
  as_of: liability.asOf.toISOString(),
  outstanding_points: liability.outstandingPoints,
  value: { amount_minor: liability.valueMinor, currency: liability.currency },
  expiring: liability.expiring.map((bucket) => ({ until: bucket.until?.toISOString() ?? null, points: bucket.points })),
  breakage_rate_365d: liability.breakageRate365d,
});

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const { as_of } = c.req.valid("query");
    const liability = await liabilityReport(
      c.get("deps"),
      caller,
      c.req.valid("param").program_id,
      as_of === undefined ? undefined : new Date(as_of),
    );
    return c.json(toLiabilityReport(liability), 200);
  });
