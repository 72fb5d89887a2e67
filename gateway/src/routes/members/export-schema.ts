import { z } from "@hono/zod-openapi";
import type { MemberExport } from "../../domain/privacy/export";
import { ActivitySchema, toActivity } from "../activities/schemas";
import { ConversionSchema } from "../conversions/schemas";
import { FraudEventSchema, toFraudEvent } from "../fraud-events/schemas";
import { RedemptionSchema, toRedemption } from "../redemptions/schemas";
import { SegmentSchema, toSegment } from "../segments/schemas";
import { TouchpointSchema, toTouchpoint } from "../touchpoints/schemas";
import { TransactionSchema, toTransaction } from "../transactions/schemas";
import { TransferSchema } from "../transfers/schemas";
import { MemberSchema, toMember } from "./schemas";

const TierChangeSchema = z
  .object({
    id: z.string().openapi({ example: "mtc_01jdz8c2d4f6h8k0m2p4r6t8v0" }),
    from_key: z.string().nullable().openapi({ description: "The tier key before (null: none)" }),
    to_key: z.string(),
    reason: z.enum(["qualified", "requalified", "manual"]),
    note: z.string().nullable().openapi({ description: "A manual tier's reason" }),
    actor: z.string().nullable().openapi({ description: "Who set a manual tier" }),
    at: z.iso.datetime(),
  })
  .openapi("MemberExportTierChange");

const ExposureSchema = z
  .object({
    promotion_id: z.string(),
    name: z.string(),
    group: z.enum(["treatment", "control"]).openapi({ description: "`control`: held out, paid nothing" }),
    exposed_at: z.iso.datetime().openapi({ description: "Its first qualifying event" }),
    points_awarded: z.number().int(),
    awards: z.number().int(),
    challenge: z
      .object({
        earns: z.number().int(),
        spend_minor: z.number().int(),
        completed_at: z.iso.datetime().nullable(),
      })
      .openapi({ description: "A challenge's progress (zero for other promotions)" }),
  })
  .openapi("MemberExportExposure");

export const MemberExportSchema = z
  .object({
    object: z.literal("member_export"),
    exported_at: z.iso.datetime(),
    program_id: z.string(),
    external_id: z.string(),
    member: MemberSchema.openapi({
      description:
        "The member as GET shows it: profile, attributes, tier, RFM scores, balance with the points that will " +
        "expire, linked cards, and `erased_at`",
    }),
    transactions: z.array(TransactionSchema).openapi({ description: "Every transaction of the member, newest first" }),
    redemptions: z
      .array(RedemptionSchema)
      .openapi({ description: "Its reward orders with their delivery addresses (null once erased), newest first" }),
    transfers: z
      .object({ sent: z.array(TransferSchema), received: z.array(TransferSchema) })
      .openapi({ description: "Points it gave to and received from other members, newest first" }),
    conversions: z.object({ out: z.array(ConversionSchema), in: z.array(ConversionSchema) }).openapi({
      description: "Its points converted into another program (`out`) and from another program (`in`), newest first",
    }),
    tier_changes: z.array(TierChangeSchema).openapi({ description: "Its tier history, newest first" }),
    segments: z.array(SegmentSchema).openapi({ description: "The segments it is in now" }),
    promotions: z
      .array(ExposureSchema)
      .openapi({ description: "The promotions it was exposed to, with what they paid it and challenge progress" }),
    activities: z.array(ActivitySchema).openapi({ description: "The activities reported for it, newest first" }),
    referrals: z
      .array(z.object({ external_id: z.string(), enrolled_at: z.iso.datetime() }))
      .openapi({ description: "The members it referred, newest first" }),
    touchpoints: z
      .array(TouchpointSchema)
      .openapi({ description: "Every contact recorded with it, newest first (notes null once erased)" }),
    member_sessions: z
      .array(z.object({ created_at: z.iso.datetime(), expires_at: z.iso.datetime() }))
      .openapi({ description: "Its hosted page sessions (never their links), newest first; an erase closes them" }),
    fraud_decisions: z
      .array(FraudEventSchema)
      .openapi({ description: "What fraud rules decided about its operations, newest first" }),
    events: z
      .array(z.object({ id: z.string(), type: z.string(), created_at: z.iso.datetime() }))
      .openapi({ description: "The program owner's events about it (GET /v1/events/{id} for one), newest first" }),
  })
  .openapi("MemberExport", {
    description: "Everything the gateway holds about one member, for a data subject's access request",
  });

/** A member's export as the API shows it. */
export function toMemberExport(found: MemberExport) {
  const { member } = found;
  const x = member.externalId;
  return MemberExportSchema.parse({
    object: "member_export",
    exported_at: found.exportedAt.toISOString(),
    program_id: found.program.id,
    external_id: x,
    member: toMember(member, found.details),
    transactions: found.transactions.map((row) => toTransaction(row, x)),
    redemptions: found.redemptions.map(toRedemption),
    transfers: {
      sent: found.transfers.filter((t) => t.sent).map((t) => t.body),
      received: found.transfers.filter((t) => !t.sent).map((t) => t.body),
    },
    conversions: {
      out: found.conversions.filter((c) => c.out).map((c) => c.body),
      in: found.conversions.filter((c) => !c.out).map((c) => c.body),
    },
    tier_changes: found.tierChanges.map((change) => ({
      id: change.id,
      from_key: change.fromKey,
      to_key: change.toKey,
      reason: change.reason,
      note: change.note,
      actor: change.actor,
      at: change.at.toISOString(),
    })),
    segments: found.segments.map(toSegment),
    promotions: found.exposures.map(({ exposure, name }) => ({
      promotion_id: exposure.promotionId,
      name,
      group: exposure.group,
      exposed_at: exposure.exposedAt.toISOString(),
      points_awarded: exposure.pointsAwarded,
      awards: exposure.awards,
      challenge: {
        earns: exposure.challengeEarns,
        spend_minor: exposure.challengeSpendMinor,
        completed_at: exposure.completedAt?.toISOString() ?? null,
      },
    })),
    activities: found.activities.map((activity) => toActivity(activity, x)),
    referrals: found.referrals.map((referral) => ({
      external_id: referral.externalId,
      enrolled_at: referral.createdAt.toISOString(),
    })),
    touchpoints: found.touchpoints.map((touchpoint) => toTouchpoint(touchpoint, member)),
    member_sessions: found.sessions.map((session) => ({
      created_at: session.createdAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
    })),
    fraud_decisions: found.fraudEvents.map(toFraudEvent),
    events: found.events.map((event) => ({
      id: event.id,
      type: event.type,
      created_at: event.createdAt.toISOString(),
    })),
  });
}
