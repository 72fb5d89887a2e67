import { z } from "@hono/zod-openapi";
import type { Activity } from "../../db/queries/activities";
import { activityBody } from "../../domain/activities";
import { bonusFields } from "../transactions/schemas";

/** An activity's type: the program's own word for the action, such as `review_written`. */
export const ActivityType = z
  .string()
  .regex(/^[a-z0-9_]{1,64}$/, "must be 1 to 64 lower-case letters, digits or _")
  .openapi({ example: "review_written" });

export const ActivitySchema = z
  .object({
    id: z.string().openapi({ example: "act_01jdz6a2b4c6d8e0f2g4h6j8k0" }),
    program_id: z.string(),
    external_id: z.string(),
    type: ActivityType,
    reference: z.string().openapi({ example: "review-55120", description: "Your reference of the action" }),
    created_at: z.iso.datetime(),
  })
  .openapi("Activity");

// A flat object rather than `allOf` Activity, so the SDK's type reads as one object.
export const ActivityResultSchema = z
  .object({
    ...ActivitySchema.shape,
    ...bonusFields,
    balance_after: z
      .number()
      .int()
      .openapi({ example: 14_250, description: "The member's available points right after, with the bonuses" }),
  })
  .openapi("ActivityResult", {
    description:
      "The activity recorded, with the bonuses of the `activity` promotions it paid (each its own transaction)",
  });

/** A stored activity as the API shows it. */
export const toActivity = (activity: Activity, externalId: string) =>
  ActivitySchema.parse(activityBody(activity, externalId));
