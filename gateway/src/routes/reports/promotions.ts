import { z } from "@hono/zod-openapi";
import { promotionsReport, promotionsTables } from "../../domain/reports/promotions";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { programReport } from "./program-report";
import { programReportHead } from "./range";

const int = (description: string) => z.number().int().openapi({ description });
const ratio = (description: string) => z.number().nullable().openapi({ description });

const PromotionsReportSchema = z
  .object({
    ...programReportHead,
    totals: z.object({
      promotions: int("How many promotions the program has"),
      budget_used: int("Points all of them awarded, ever (gross)"),
      points_awarded_in_range: int("Points they awarded in the range (gross)"),
      awards_in_range: int("Awards they paid in the range"),
      cost_minor: int("budget_used at the program's issue price, rounded once, half to even, as a statement line"),
      currency: z.string().openapi({ example: "USD" }),
    }),
    promotions: z
      .array(
        z.object({
          promotion_id: z.string(),
          name: z.string(),
          status: z.enum(["draft", "active", "paused", "ended"]),
          trigger: z.enum(["earn", "challenge", "referral", "enrolment", "activity"]),
          campaign_id: z.string().nullable(),
          starts_at: z.iso.datetime(),
          ends_at: z.iso.datetime().nullable(),
          control_group_bps: int("The share of members held out, in basis points"),
          budget_points: z.number().int().nullable().openapi({ description: "limits.budget_points; null: none" }),
          budget_used: int("Points awarded, ever, gross: reversing an earn does not give its award's points back"),
          awards: int("Awards paid (bonus transactions), ever"),
          awards_in_range: int("Awards paid in the range"),
          points_awarded_in_range: int("Points awarded in the range, gross"),
          cost_minor: int(
            "budget_used at the program's issue price, in minor units, rounded once, half to even, as a statement line",
          ),
          currency: z.string().openapi({ example: "USD" }),
          treatment_members: int("Members exposed and paid"),
          treatment_earns: int("Their earns since their exposure (to ends_at), gross of reversals"),
          treatment_spend_minor: int("The purchase amounts of those earns"),
          control_members: int("Members exposed and held out"),
          control_earns: int("Their earns since their exposure (to ends_at)"),
          control_spend_minor: int("The purchase amounts of those earns"),
          spend_per_member_treatment: ratio("treatment_spend_minor / treatment_members; null without members"),
          spend_per_member_control: ratio("control_spend_minor / control_members; null without members"),
          uplift_pct: ratio(
            "(treatment - control spend per member) / control × 100; null when the control spent nothing or has none",
          ),
          uplift_ci95_low: ratio(
            "The low end of uplift_pct's 95% interval (Welch, normal quantile 1.96, over the control mean); null " +
              "under 30 members in either group",
          ),
          uplift_ci95_high: ratio("The high end of that interval"),
          incremental_spend_minor: z.number().int().nullable().openapi({
            description: "(treatment - control spend per member) × treatment members; null without both groups",
          }),
          roi: ratio("(incremental_spend_minor - cost_minor) / cost_minor; null when the cost is 0 or unknown"),
        }),
      )
      .openapi({ description: "Every promotion of the program, drafts and ended ones too, by start then id" }),
  })
  .openapi("PromotionsReport");

const what =
  "Every promotion of the program with its performance and return side by side: the budget used, awards and " +
  "their cost at the program's issue price, each group's members, earns and spend, the uplift of spend per " +
  "member with its 95% interval, the incremental spend and the ROI, as `GET /v1/promotions/{id}/performance` " +
  "answers them now (computed by the same code; the performance covers each member's exposure to the " +
  "promotion's end and has no range). The range selects the awards and points awarded in it (`awards_in_range`, " +
  "`points_awarded_in_range`). For the program's owner (`programs:manage`) and the operator.";

export const { route, csvRoute, register } = programReport({
  name: "promotions",
  operation: "Promotions",
  what,
  schema: PromotionsReportSchema,
  tables: promotionsTables,
  read: promotionsReport,
});

export type GetPromotionsReportRequest = OperationRequest<typeof route>;
export type GetPromotionsReportResponse = OperationResponse<typeof route>;
export type DownloadPromotionsReportCsvRequest = OperationRequest<typeof csvRoute>;
export type DownloadPromotionsReportCsvResponse = OperationResponse<typeof csvRoute>;
