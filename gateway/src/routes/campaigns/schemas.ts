import { z } from "@hono/zod-openapi";
import type { CampaignInput } from "../../domain/campaigns/campaigns";
import { type Campaign, presentCampaign } from "../../domain/campaigns/present";
import { reference } from "../promotions/schemas";

export const CampaignIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "cmp_01jdz6a1b3c5d7f9h1j3k5m7n9" }),
});

const statuses = ["proposed", "planned", "active", "completed"] as const;
const moment = (description: string) => z.iso.datetime({ offset: true }).nullable().optional().openapi({ description });

/** The fields a campaign is written with, as create takes them; PATCH takes each optionally. */
export const campaignFields = {
  name: z.string().trim().min(1).max(200).openapi({ example: "Summer reactivation" }),
  type: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .nullable()
    .optional()
    .openapi({ description: "Your own classification", example: "reactivation" }),
  owner: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .nullable()
    .optional()
    .openapi({ description: "Who runs it on your side", example: "CRM team" }),
  status: z.enum(statuses).openapi({ description: "Your planning status; the gateway does not move it" }),
  planned_start: moment("When it is planned to start"),
  planned_end: moment("When it is planned to end; not before planned_start"),
  actual_start: moment("When it started; campaign performance counts responders from here (else planned_start)"),
  actual_end: moment("When it ended; not before actual_start"),
  expected_response_pct: z
    .number()
    .min(0)
    .max(100)
    .nullable()
    .optional()
    .openapi({ description: "Share of targeted members expected to respond, 0 to 100", example: 12.5 }),
  estimated_revenue_minor: z
    .number()
    .int()
    .min(0)
    .max(1e15)
    .nullable()
    .optional()
    .openapi({ description: "Minor units of the program's settlement currency" }),
  segment_ids: z.array(reference(64)).max(50).optional().openapi({
    description:
      "The program's segments (marketing lists) it targets, in your order; its targeted members are their members. PATCH replaces the whole list",
  }),
  notes: z.string().trim().max(2000).nullable().optional(),
};

type CampaignBody = { [K in keyof typeof campaignFields]?: z.output<(typeof campaignFields)[K]> };

const date = (value: string | null) => (value === null ? null : new Date(value));

/** The domain's fields of those a body sent (absent ones left out, so a PATCH changes only those). */
export function campaignOf(body: CampaignBody): Partial<CampaignInput> {
  const fields: Partial<CampaignInput> = {};
  if (body.name !== undefined) fields.name = body.name;
  if (body.type !== undefined) fields.type = body.type;
  if (body.owner !== undefined) fields.owner = body.owner;
  if (body.status !== undefined) fields.status = body.status;
  if (body.planned_start !== undefined) fields.plannedStart = date(body.planned_start);
  if (body.planned_end !== undefined) fields.plannedEnd = date(body.planned_end);
  if (body.actual_start !== undefined) fields.actualStart = date(body.actual_start);
  if (body.actual_end !== undefined) fields.actualEnd = date(body.actual_end);
  if (body.expected_response_pct !== undefined) fields.expectedResponsePct = body.expected_response_pct;
  if (body.estimated_revenue_minor !== undefined) fields.estimatedRevenueMinor = body.estimated_revenue_minor;
  if (body.segment_ids !== undefined) fields.segmentIds = body.segment_ids;
  if (body.notes !== undefined) fields.notes = body.notes;
  return fields;
}

export const CampaignSchema = z
  .object({
    id: z.string().openapi({ example: "cmp_01jdz6a1b3c5d7f9h1j3k5m7n9" }),
    program_id: z.string(),
    name: z.string(),
    type: z.string().nullable(),
    owner: z.string().nullable(),
    status: z.enum(statuses),
    planned_start: z.iso.datetime().nullable(),
    planned_end: z.iso.datetime().nullable(),
    actual_start: z.iso.datetime().nullable(),
    actual_end: z.iso.datetime().nullable(),
    expected_response_pct: z.number().nullable(),
    estimated_revenue_minor: z.number().int().nullable(),
    segments: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          member_count: z.number().int().openapi({ description: "Its members as last counted" }),
        }),
      )
      .openapi({
        description:
          "The segments it targets, in the order given. Its promotions: GET /v1/programs/{program_id}/promotions?campaign_id=",
      }),
    segment_ids: z.array(z.string()).openapi({
      description: "The ids of `segments`, in the same order: the segment_ids a create or PATCH sent",
    }),
    notes: z.string().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Campaign");

export const toCampaign = (campaign: Campaign) => CampaignSchema.parse(presentCampaign(campaign));
