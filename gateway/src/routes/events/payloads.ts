import { z } from "@hono/zod-openapi";
import { type EventType, eventTypes } from "../../domain/outbox";
import { ActivityResultSchema } from "../activities/schemas";
import { ConversionSchema } from "../conversions/schemas";
import { MemberSchema } from "../members/schemas";
import { RedemptionSchema } from "../redemptions/schemas";

const MemberUpdatedSchema = z
  .object({
    member: MemberSchema,
    changed: z
      .array(z.enum(["email", "name", "locale", "birth_date", "attributes"]))
      .openapi({ description: "The member's fields the update changed" }),
    changed_attributes: z
      .array(z.string())
      .openapi({ description: "The attribute keys the update set to a new value or removed" }),
  })
  .openapi("MemberUpdated");

import { StatementSummarySchema } from "../settlements/schemas";
import { MemberTierChangedSchema } from "../tiers/schemas";
import { EarnResultSchema, ReversalResultSchema, TransactionSchema } from "../transactions/schemas";
import { TransferSchema } from "../transfers/schemas";

const EndpointDisabledSchema = z
  .object({
    endpoint_id: z.string(),
    url: z.string(),
    reason: z.enum(["gone", "failing"]),
    detail: z.string(),
  })
  .openapi("WebhookEndpointDisabled");

const EndpointTestSchema = z
  .object({
    endpoint_id: z.string(),
    url: z.string(),
    message: z.string().openapi({ example: "A test event sent from the partner portal or the API." }),
  })
  .openapi("WebhookEndpointTest");

const PromotionBudgetExhaustedSchema = z
  .object({
    program_id: z.string(),
    promotion_id: z.string(),
    budget_points: z.number().int().openapi({ description: "The promotion's budget when it ran out" }),
    points_awarded: z
      .number()
      .int()
      .openapi({ description: "What the promotion has paid: the whole budget (reversals do not give points back)" }),
  })
  .openapi("PromotionBudgetExhausted");

const PointsExpiringSoonSchema = z
  .object({
    program_id: z.string(),
    external_id: z.string(),
    points: z.number().int().openapi({ description: "What is left of the lot: the points that will expire" }),
    expires_at: z.iso.datetime().openapi({ description: "When they expire" }),
  })
  .openapi("PointsExpiringSoon");

const MemberErasedSchema = z
  .object({
    program_id: z.string(),
    external_id: z.string(),
    erased_at: z.iso.datetime().openapi({ description: "When its personal data was erased" }),
  })
  .openapi("MemberErased");

const StatementReadySchema = StatementSummarySchema.omit({ partner_id: true, created_at: true }).openapi(
  "StatementReady",
);

/** What each event type carries in `data`. A `Record`, so a new event type cannot go undocumented. */
export const eventData: Record<EventType, { schema: z.ZodType; summary: string }> = {
  "activity.recorded": {
    schema: ActivityResultSchema,
    summary:
      "A member's activity was recorded (POST /v1/activities), with the bonuses of the activity promotions it paid; " +
      "sent to the partner that reported it and the program's owner",
  },
  "member.enrolled": { schema: MemberSchema, summary: "A member was enrolled" },
  "member.updated": {
    schema: MemberUpdatedSchema,
    summary:
      "A member's profile was changed (PATCH): the member as it is now, and which fields changed; sent to the " +
      "program's owner, the enrolling partner and the partner that changed it",
  },
  "member.tier_changed": {
    schema: MemberTierChangedSchema,
    summary:
      "A member moved to another tier: by an earn (`qualified`), by the daily re-evaluation or a new tier table " +
      "(`requalified`), or set by the program (`manual`); sent to the program's owner, the enrolling partner and " +
      "the partner whose earn moved it",
  },
  "member.erased": {
    schema: MemberErasedSchema,
    summary:
      "A member's personal data was erased (email, name, locale, birth date, attributes, notes, addresses; its " +
      "points and history stay): delete what you keep of it. Sent once, to the program's owner and every partner " +
      "with an agreement in the program",
  },
  "points.earned": { schema: EarnResultSchema, summary: "Points were earned (with the bonuses written with them)" },
  "points.burned": { schema: TransactionSchema, summary: "Points were burned" },
  "points.reversed": {
    schema: ReversalResultSchema,
    summary: "An earn or burn was reversed, in full or in part (with the earn's bonuses taken back in proportion)",
  },
  "points.expired": { schema: TransactionSchema, summary: "Points expired (the expiry transaction)" },
  "points.expiring_soon": {
    schema: PointsExpiringSoonSchema,
    summary:
      "Points of one lot (an earn, bonus, credit, conversion or transfer received) expire within 30 days: what is " +
      "left of it, once per lot (a lot spent in full gets none); sent to the program's owner",
  },
  "points.held": { schema: TransactionSchema, summary: "A burn was held for review; the points are reserved" },
  "points.released": { schema: TransactionSchema, summary: "A held burn was rejected; the points are back" },
  "points.adjusted": {
    schema: TransactionSchema,
    summary: "The program's owner or the operator credited or debited a member (the adjustment, with its reason)",
  },
  "points.transferred": {
    schema: TransferSchema,
    summary:
      "A member gave points to another member of the program (the transfer, completed: at once, or when its review " +
      "approved it); sent to the program's owner and the partner that made it",
  },
  "conversion.completed": { schema: ConversionSchema, summary: "A conversion completed (sent to both programs)" },
  "conversion.held": { schema: ConversionSchema, summary: "A conversion was held for review" },
  "conversion.rejected": { schema: ConversionSchema, summary: "A held conversion was rejected" },
  "conversion.failed": {
    schema: ConversionSchema,
    summary:
      "A conversion between programs on different databases failed: the destination refused the points (its " +
      "`failure_reason`), and they are back with the source member (sent to both programs)",
  },
  "promotion.budget_exhausted": {
    schema: PromotionBudgetExhaustedSchema,
    summary:
      "A promotion's budget ran out: the award that reached it exactly was cut to what was left, and the promotion " +
      "pays no more (until its budget is raised); sent once, to the program's owner",
  },
  "redemption.created": {
    schema: RedemptionSchema,
    summary:
      "A redemption order was placed (`pending`, or `fulfilled` with its codes for a `code` reward), or a held one " +
      "approved by its review; sent to the program's owner, the ordering and the fulfilling partner",
  },
  "redemption.fulfilled": {
    schema: RedemptionSchema,
    summary:
      "A redemption order was fulfilled (a `code` reward's at once, with `redemption.created`); sent to the " +
      "program's owner, the ordering and the fulfilling partner",
  },
  "redemption.cancelled": {
    schema: RedemptionSchema,
    summary:
      "A pending redemption order was cancelled, or a held one rejected by its review (`status: rejected`); the points " +
      "are back with the member. Sent to the program's owner, the ordering and the fulfilling partner",
  },
  "redemption.returned": {
    schema: RedemptionSchema,
    summary:
      "A fulfilled product was returned; the points are back with the member. Sent to the program's owner, the " +
      "ordering and the fulfilling partner",
  },
  "settlement.statement_ready": { schema: StatementReadySchema, summary: "A statement was issued" },
  "webhook_endpoint.disabled": {
    schema: EndpointDisabledSchema,
    summary: "One of the partner's endpoints was disabled (410 Gone, or 5 days of failures)",
  },
  "webhook_endpoint.test": {
    schema: EndpointTestSchema,
    summary:
      "A test asked for (POST /v1/webhook-endpoints/{id}/test or the portal): sent only to that endpoint, whatever " +
      "its event types",
  },
};

const pascal = (type: string) =>
  type
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

const bodyOf = (type: EventType) =>
  z
    .object({ type: z.literal(type), timestamp: z.iso.datetime(), data: eventData[type].schema })
    .openapi(`${pascal(type)}Event`);

/**
 * The body of each event type's webhook, `{ type, timestamp, data }` (`PointsEarnedEvent`...): what a delivery
 * carries and what `/v1/events` lists, so both are typed alike in the reference and the SDK.
 */
export const webhookBodies = Object.fromEntries(eventTypes.map((type) => [type, bodyOf(type)])) as Record<
  EventType,
  ReturnType<typeof bodyOf>
>;
