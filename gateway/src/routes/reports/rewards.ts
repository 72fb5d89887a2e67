import { z } from "@hono/zod-openapi";
import { rewardsReport, rewardsTables } from "../../domain/reports/rewards";
import { fulfilments, rewardTypes } from "../../domain/rewards/reward";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { programReport } from "./program-report";
import { programReportHead } from "./range";

const int = (description: string) => z.number().int().openapi({ description });
const hours = (description: string) => z.number().nullable().openapi({ description, example: 26.5 });

const counts = {
  orders: int("Orders whose points were burned in the range (placed; after a review hold, approved)"),
  cancelled: int("Orders cancelled in the range (their points given back), whenever placed"),
  returned: int("Orders returned in the range (their points given back), whenever placed"),
  net_orders: int("orders - cancelled - returned"),
  quantity: int("Units ordered in the range less the units of the orders cancelled or returned in it"),
  points: int(
    "Points burned on it in the range less the points given back in it: summed over rewards, the KPI report's " +
      "points_redeemed",
  ),
};

const RewardsReportSchema = z
  .object({
    ...programReportHead,
    totals: z.object(counts),
    rewards: z
      .array(
        z.object({
          reward_id: z.string(),
          sku: z.string(),
          name: z.string(),
          type: z.enum(rewardTypes),
          fulfilment: z.enum(fulfilments),
          ...counts,
          fulfilled: int("Its orders fulfilled in the range (returned ones included)"),
          fulfilment_median_hours: hours(
            "The median of the hours from placing to fulfilling those orders (codes are fulfilled at once: 0); null " +
              "when none was fulfilled",
          ),
          fulfilment_p90_hours: hours("Their 90th percentile"),
        }),
      )
      .openapi({
        description: "Each reward with orders, refunds or fulfilments in the range: most points first, then net orders",
      }),
  })
  .openapi("RewardsReport");

const what =
  "The program's top rewards in the range: orders, cancellations and returns (each counted when it happened, so " +
  "an order placed before the range and cancelled in it counts back in it, as the KPI report nets a reversal), the " +
  "net orders, units and points, and how long fulfilment took: the median and 90th percentile of the hours from " +
  "placing to fulfilling the orders fulfilled in the range, by linear interpolation between the closest ranks (as " +
  "spreadsheets' PERCENTILE.INC). For the program's owner (`programs:manage`) and the operator.";

export const { route, csvRoute, register } = programReport({
  name: "rewards",
  operation: "Rewards",
  what,
  schema: RewardsReportSchema,
  tables: rewardsTables,
  read: rewardsReport,
});

export type GetRewardsReportRequest = OperationRequest<typeof route>;
export type GetRewardsReportResponse = OperationResponse<typeof route>;
export type DownloadRewardsReportCsvRequest = OperationRequest<typeof csvRoute>;
export type DownloadRewardsReportCsvResponse = OperationResponse<typeof csvRoute>;
