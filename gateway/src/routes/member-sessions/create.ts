import { createRoute, z } from "@hono/zod-openapi";
import { canonicalTimezone, createMemberSession } from "../../domain/member-sessions";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";

const CreateMemberSession = z
  .object({
    program_id: z.string().min(1).openapi({ example: "prg_01jdz5a9b7c5d3e1f9g7h5j3k1" }),
    external_id: z.string().min(1).max(128).openapi({ example: "G-1001" }),
    timezone: z
      .string()
      .refine((name) => canonicalTimezone(name) !== undefined, "must be an IANA time zone, such as Europe/Lisbon")
      .optional()
      .openapi({
        description: "The member's IANA time zone, for the times the pages show (UTC, said as such, when absent).",
        example: "America/Sao_Paulo",
      }),
  })
  .strict()
  .openapi("CreateMemberSession");

const MemberSessionSchema = z
  .object({
    url: z.string().openapi({ example: "https://gateway.example/portal/member/5xG..." }),
    expires_at: z.iso.datetime(),
  })
  .openapi("MemberSession");

export const route = createRoute({
  method: "post",
  path: "/v1/member-sessions",
  operationId: "createMemberSession",
  // Under Conversions, where it began: the SDK groups methods by tag (client.conversions.createMemberSession).
  tags: ["Conversions"],
  summary: "Open a member's own hosted pages",
  description:
    "A short-lived URL (15 minutes) where the member, on a phone or a desktop, sees their balance, expiring points, " +
    "tier and progress, history, challenges and digital card (a QR code), redeems rewards, transfers points and " +
    "converts them out of the program, in their `locale` (en, pt-BR, ru). The token in it works only for this " +
    "member and program, and the caller is the actor of everything done there. The caller must be allowed to burn " +
    "in the program; the member must exist and not be erased (409 `invalid_state`).",
  security: [{ bearerAuth: ["conversions:write"] }],
  middleware: [requireScope("conversions:write"), idempotency({ required: false, atomic: false })] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateMemberSession } } } },
  responses: {
    201: {
      description: "The page to send the member to",
      content: { "application/json": { schema: MemberSessionSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

export type CreateMemberSessionRequest = OperationRequest<typeof route>;
export type CreateMemberSessionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const session = await createMemberSession(c.get("deps"), {
      partnerId: callerPartnerId(c),
      programId: body.program_id,
      externalId: body.external_id,
      timezone: body.timezone && canonicalTimezone(body.timezone),
    });
    return c.json({ url: session.url, expires_at: session.expiresAt.toISOString() }, 201);
  });
