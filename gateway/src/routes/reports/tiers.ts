import { z } from "@hono/zod-openapi";
import { tiersReport, tiersTables } from "../../domain/reports/tiers";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { programReport } from "./program-report";
import { programReportHead } from "./range";

const count = (description: string) => z.number().int().openapi({ description });

const TiersReportSchema = z
  .object({
    ...programReportHead,
    totals: z.object({
      members: count("The program's members now"),
      upgrades: count("Tier changes of the range to a higher tier"),
      downgrades: count("Tier changes of the range to a lower tier"),
      placements: count("Tier changes of the range from no tier (a new tier table placing members)"),
    }),
    tiers: z
      .array(
        z.object({
          key: z.string().nullable().openapi({ description: "The tier; null: members without a tier" }),
          name: z.string().nullable().openapi({ description: "Its name; null when it is no longer in the table" }),
          position: z.number().int().nullable().openapi({ description: "Its place in the table, 0 the entry tier" }),
          members: count("Members holding it now"),
          members_at_start: count("Members holding it when the range began (the first day's local midnight)"),
          enrolled: count("Members enrolled in the range and placed in it"),
          moved_in: count("Tier changes of the range into it"),
          moved_out: count("Tier changes of the range out of it"),
          members_at_end: count(
            "Members holding it when the range ended (the midnight after the last day): members_at_start + enrolled + " +
              "moved_in - moved_out",
          ),
        }),
      )
      .openapi({
        description:
          "The tier table's tiers, lowest first; then, only when they have a figure, tiers of an earlier table and " +
          "members without a tier (`key` null)",
      }),
    movements: z
      .array(
        z.object({
          from_key: z.string().nullable().openapi({ description: "The tier left; null: none" }),
          to_key: z.string(),
          reason: z.enum(["qualified", "requalified", "manual"]),
          direction: z.enum(["upgrade", "downgrade", "placement", "other"]).openapi({
            description:
              "By the tiers' places in the table now: `placement` from no tier, `other` when a tier is no longer in it",
          }),
          changes: count("How many such changes the range had"),
          members: count("How many members made them"),
        }),
      )
      .openapi({ description: "The range's tier changes by tier left, tier reached and reason" }),
  })
  .openapi("TiersReport");

const what =
  "Members per tier now, at the range's start and end, enrolled into each, and the range's tier changes (upgrades, " +
  "downgrades, placements) by tiers and reason (`qualified`, `requalified`, `manual`), from the members' tier " +
  "history: a member's tier just before an instant is the tier its first change at or after that instant left, " +
  "else its tier now. Removing the tier table takes members out of tiers without a history row, so counts before " +
  "such a removal show its members as the later history has them. For the program's owner (`programs:manage`) and " +
  "the operator.";

export const { route, csvRoute, register } = programReport({
  name: "tiers",
  operation: "Tiers",
  what,
  schema: TiersReportSchema,
  tables: tiersTables,
  read: tiersReport,
});

export type GetTiersReportRequest = OperationRequest<typeof route>;
export type GetTiersReportResponse = OperationResponse<typeof route>;
export type DownloadTiersReportCsvRequest = OperationRequest<typeof csvRoute>;
export type DownloadTiersReportCsvResponse = OperationResponse<typeof csvRoute>;
