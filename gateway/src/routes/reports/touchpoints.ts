import { z } from "@hono/zod-openapi";
import { touchpointsReport, touchpointsTables } from "../../domain/reports/touchpoints";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { TouchpointChannel, TouchpointDirection, TouchpointReason } from "../touchpoints/schemas";
import { programReport } from "./program-report";
import { programReportHead } from "./range";

const tally = {
  touchpoints: z.number().int().openapi({ description: "Contacts that occurred in the range" }),
  rated: z.number().int().openapi({ description: "Of them, those the member rated" }),
  mean_rating: z
    .number()
    .nullable()
    .openapi({ description: "The mean of their ratings (1..5), unrounded; null when none was rated", example: 4.25 }),
};

const TouchpointsReportSchema = z
  .object({
    ...programReportHead,
    totals: z.object(tally),
    channels: z
      .array(z.object({ channel: TouchpointChannel, ...tally }))
      .openapi({ description: "Every channel, in the API's order, 0 included" }),
    reasons: z
      .array(z.object({ reason: TouchpointReason, ...tally }))
      .openapi({ description: "Every reason, in the API's order, 0 included" }),
    groups: z
      .array(
        z.object({ channel: TouchpointChannel, reason: TouchpointReason, direction: TouchpointDirection, ...tally }),
      )
      .openapi({ description: "Each channel, reason and direction that had contacts, by channel, reason, direction" }),
  })
  .openapi("TouchpointsReport");

const what =
  "A program's contacts with its members (`occurred_at` in the range): per channel, reason and direction, per " +
  "channel and per reason, and in all, each with how many were rated and the mean rating. For the program's owner " +
  "(`programs:manage`) and the operator.";

export const { route, csvRoute, register } = programReport({
  name: "touchpoints",
  operation: "Touchpoints",
  what,
  schema: TouchpointsReportSchema,
  tables: touchpointsTables,
  read: touchpointsReport,
});

export type GetTouchpointsReportRequest = OperationRequest<typeof route>;
export type GetTouchpointsReportResponse = OperationResponse<typeof route>;
export type DownloadTouchpointsReportCsvRequest = OperationRequest<typeof csvRoute>;
export type DownloadTouchpointsReportCsvResponse = OperationResponse<typeof csvRoute>;
