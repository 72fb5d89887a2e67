import { z } from "@hono/zod-openapi";
import type { MemberAccess } from "../../domain/access";
import type { ActivityKind, ActivityRecord } from "../../domain/member-activity";
import { RedemptionSchema, toRedemption } from "../redemptions/schemas";
import { MemberTierChangedSchema } from "../tiers/schemas";
import { TouchpointSchema, toTouchpoint } from "../touchpoints/schemas";
import { TransactionSchema, toTransaction } from "../transactions/schemas";

/** What every item adds to its record: the kind, and the moment the list is ordered by. */
const itemFields = <K extends ActivityKind>(kind: K, moment: string) => ({
  kind: z.literal(kind),
  occurred_at: z.iso.datetime().openapi({ description: `When it happened: ${moment}` }),
});

// Flat objects rather than `allOf` the record, so the SDK's types read as one object each.
const TransactionItem = z
  .object({ ...TransactionSchema.shape, ...itemFields("transaction", "the transaction's `created_at`") })
  .openapi("MemberActivityTransaction", { description: "A transaction, as `GET /v1/transactions/{id}` shows it" });

const RedemptionItem = z
  .object({ ...RedemptionSchema.shape, ...itemFields("redemption", "the order's `created_at`") })
  .openapi("MemberActivityRedemption", { description: "A redemption order, as `GET /v1/redemptions/{id}` shows it" });

const TierChangeItem = z
  .object({
    id: z.string().openapi({ example: "mtc_01jdz9b2c4d6f8h0k2m4p6r8t0" }),
    ...MemberTierChangedSchema.shape,
    member_id: z.string(),
    note: z.string().nullable().openapi({ description: "For a manual change: why it was made" }),
    actor: z.string().nullable().openapi({ description: "For a manual change: the credential or portal user" }),
    ...itemFields("tier_change", "when the member changed tier"),
  })
  .openapi("MemberActivityTierChange", {
    description: "A change of the member's tier, with the fields of the `member.tier_changed` event",
  });

const SegmentJoinItem = z
  .object({
    id: z.string().openapi({ example: "seg_01jdz5k2m4n6p8r0t2v4x6z8b0", description: "The segment's id" }),
    segment_id: z.string().openapi({ example: "seg_01jdz5k2m4n6p8r0t2v4x6z8b0" }),
    program_id: z.string(),
    member_id: z.string(),
    external_id: z.string(),
    name: z.string().openapi({ example: "Weekend travellers", description: "The segment's name" }),
    type: z.enum(["dynamic", "static"]),
    ...itemFields("segment_join", "when the member joined the segment (added, or first counted in)"),
  })
  .openapi("MemberActivitySegmentJoin", {
    description: "The member joined a segment it is still in (shown to the program's owner only)",
  });

const TouchpointItem = z
  .object({ ...TouchpointSchema.shape, ...itemFields("touchpoint", "the touchpoint's `occurred_at`") })
  .openapi("MemberActivityTouchpoint", { description: "A touchpoint, as the member's touchpoints list shows it" });

export const MemberActivityItemSchema = z
  .discriminatedUnion("kind", [TransactionItem, RedemptionItem, TierChangeItem, SegmentJoinItem, TouchpointItem])
  .openapi("MemberActivityItem", {
    description:
      "One record of the member's activity: its `id` (the record's own; a segment join's is the segment's), its " +
      "`kind`, `occurred_at`, and the record's own fields",
  });

/** An item of the activity: the record as its own routes present it (its id is the item's), its kind and moment. */
export function toActivityItem(item: ActivityRecord, access: MemberAccess): z.input<typeof MemberActivityItemSchema> {
  const { member, program } = access;
  const occurred_at = item.at.toISOString();
  switch (item.kind) {
    case "transaction":
      return { ...toTransaction(item.transaction, member.externalId), kind: item.kind, occurred_at };
    case "redemption": {
      const redemption = toRedemption({ ...item, externalId: member.externalId, ownerId: program.partnerId });
      return { ...redemption, kind: item.kind, occurred_at };
    }
    case "tier_change": {
      const { change } = item;
      return {
        id: item.id,
        kind: item.kind,
        occurred_at,
        program_id: change.programId,
        member_id: change.memberId,
        external_id: member.externalId,
        from: change.fromKey,
        to: change.toKey,
        reason: change.reason,
        note: change.note,
        actor: change.actor,
      };
    }
    case "segment_join":
      return {
        id: item.id,
        kind: item.kind,
        occurred_at,
        segment_id: item.segment.id,
        program_id: program.id,
        member_id: member.id,
        external_id: member.externalId,
        name: item.segment.name,
        type: item.segment.type,
      };
    case "touchpoint":
      return { ...toTouchpoint(item.touchpoint, member), kind: item.kind, occurred_at };
  }
}
