import { createRoute, z } from "@hono/zod-openapi";
import { programAccess } from "../../domain/access";
import { enrolMember } from "../../domain/members";
import { callerPartnerId, requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { OptionalIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { AttributesSchema, BirthDate, ExternalId, MemberSchema, profileFields, toMember } from "./schemas";

const EnrolBody = z
  .object({
    external_id: ExternalId,
    email: profileFields.email.optional(),
    name: profileFields.name.optional(),
    locale: profileFields.locale.optional(),
    attributes: AttributesSchema.optional(),
    birth_date: BirthDate.optional().openapi({ description: "YYYY-MM-DD, not after today in the program's time zone" }),
    referred_by_external_id: ExternalId.optional().openapi({
      description: "The external id of the member of the same program who referred this one",
    }),
  })
  .strict()
  .openapi("EnrolMember");

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/members",
  operationId: "enrolMember",
  tags: ["Members"],
  summary: "Enrol a member",
  description:
    "Creates the member's account in the program, keyed by the program's own `external_id`. Needs an agreement " +
    "with the program. 409 `conflict` if the external_id is already enrolled, 409 `invalid_state` if the program is " +
    "closed; 400 naming `referred_by_external_id` if the referrer is not a member of the program.",
  security: [{ bearerAuth: ["members:write"] }],
  middleware: [requireScope("members:write"), idempotency({ required: false, atomic: true })] as const,
  request: {
    params: z.object({
      program_id: z
        .string()
        .openapi({ param: { name: "program_id", in: "path" }, example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
    }),
    headers: OptionalIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: EnrolBody } } },
  },
  responses: {
    201: { description: "The new member", content: { "application/json": { schema: MemberSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

export type EnrolMemberRequest = OperationRequest<typeof route>;
export type EnrolMemberResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const partnerId = callerPartnerId(c);
    const body = c.req.valid("json");
    const { program } = await programAccess(deps.reader, c.req.valid("param").program_id, partnerId, deps.clock.now());
    const result = await enrolMember(
      deps,
      {
        program,
        partnerId,
        externalId: body.external_id,
        email: body.email,
        name: body.name,
        locale: body.locale,
        attributes: body.attributes,
        birthDate: body.birth_date,
        referredByExternalId: body.referred_by_external_id,
      },
      toMember,
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
