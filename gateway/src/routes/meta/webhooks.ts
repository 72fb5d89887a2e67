import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { type EventType, eventTypes } from "../../domain/outbox";
import type { AppEnv } from "../../http/context";
import { ConversionSchema } from "../conversions/schemas";
import { MemberSchema } from "../members/schemas";
import { StatementSummarySchema } from "../settlements/schemas";
import { TransactionSchema } from "../transactions/schemas";

const EndpointDisabledSchema = z
  .object({
    endpoint_id: z.string(),
    url: z.string(),
    reason: z.enum(["gone", "failing"]),
    detail: z.string(),
  })
  .openapi("WebhookEndpointDisabled");

const StatementReadySchema = StatementSummarySchema.omit({ partner_id: true, created_at: true }).openapi(
  "StatementReady",
);

/** What each event type carries in `data`. A `Record`, so a new event type cannot go undocumented. */
const eventData: Record<EventType, { schema: z.ZodType; summary: string }> = {
  "member.enrolled": { schema: MemberSchema, summary: "A member was enrolled" },
  "points.earned": { schema: TransactionSchema, summary: "Points were earned" },
  "points.burned": { schema: TransactionSchema, summary: "Points were burned" },
  "points.reversed": { schema: TransactionSchema, summary: "An earn or burn was reversed, in full or in part" },
  "points.expired": { schema: TransactionSchema, summary: "Points expired (the expiry transaction)" },
  "points.held": { schema: TransactionSchema, summary: "A burn was held for review; the points are reserved" },
  "points.released": { schema: TransactionSchema, summary: "A held burn was rejected; the points are back" },
  "conversion.completed": { schema: ConversionSchema, summary: "A conversion completed (sent to both programs)" },
  "conversion.held": { schema: ConversionSchema, summary: "A conversion was held for review" },
  "conversion.rejected": { schema: ConversionSchema, summary: "A held conversion was rejected" },
  "settlement.statement_ready": { schema: StatementReadySchema, summary: "A statement was issued" },
  "webhook_endpoint.disabled": {
    schema: EndpointDisabledSchema,
    summary: "One of the partner's endpoints was disabled (410 Gone, or 5 days of failures)",
  },
};

const headers = z.object({
  "webhook-id": z
    .string()
    .openapi({ description: "The event id (`evt_...`): deduplicate on it", example: "evt_01jdz7d4f6h8k0m2p4r6t8v0x2" }),
  "webhook-timestamp": z
    .string()
    .openapi({ description: "Unix seconds when this attempt was signed", example: "1764000000" }),
  "webhook-signature": z.string().openapi({
    description: "`v1,<base64 HMAC-SHA256>`, one per signing secret (two during a rotation), space-separated",
    example: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  }),
});

const pascal = (type: string) =>
  type
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

/**
 * The webhooks of the OpenAPI 3.1 document (`webhooks`): one per event type, with the Standard Webhooks
 * headers and the body `{ type, timestamp, data }`, so the reference and the SDK's types show every payload.
 */
export function registerWebhooks(app: OpenAPIHono<AppEnv>) {
  for (const type of eventTypes) {
    const { schema, summary } = eventData[type];
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      tags: ["Webhooks"],
      summary,
      description:
        "Signed with the endpoint's secret (Standard Webhooks, svix). Verify the raw body before parsing it; answer " +
        "2xx within 15 s; delivery is at least once and unordered.",
      request: {
        headers,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z
                .object({ type: z.literal(type), timestamp: z.iso.datetime(), data: schema })
                .openapi(`${pascal(type)}Event`),
            },
          },
        },
      },
      responses: { 200: { description: "Received (any 2xx); 410 disables the endpoint" } },
    });
  }
}
