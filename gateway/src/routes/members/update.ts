import { createRoute, z } from "@hono/zod-openapi";
import { memberAccess } from "../../domain/access";
import { updateMemberProfile } from "../../domain/members";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { AttributesPatchSchema, BirthDate, MemberPathParams, MemberSchema, profileFields, toMember } from "./schemas";

const UpdateMemberBody = z
  .object({
    email: profileFields.email.nullable().optional(),
    name: profileFields.name.nullable().optional(),
    locale: profileFields.locale.nullable().optional(),
    birth_date: BirthDate.nullable().optional(),
    attributes: AttributesPatchSchema.optional(),
  })
  .strict()
  .openapi("UpdateMember", { example: { name: "Ana Sousa", attributes: { favourite_store: "porto-ribeira" } } });

export const route = createRoute({
  method: "patch",
  path: "/v1/programs/{program_id}/members/{external_id}",
  operationId: "updateMember",
  tags: ["Members"],
  summary: "Update a member's profile",
  description:
    "Fields given replace the member's (null clears one); `attributes` is merged: keys given replace theirs, a key " +
    "set to null is removed, and the result has at most 50 keys. A change sends `member.updated` (the member and " +
    "which fields changed) to the program's owner, the enrolling partner and the caller, in the same atomic write; " +
    "an update that changes nothing sends nothing. An erased member's profile no longer changes (409 `invalid_state`).",
  security: [{ bearerAuth: ["members:write"] }],
  middleware: [requireScope("members:write")] as const,
  request: {
    params: MemberPathParams,
    body: { required: true, content: { "application/json": { schema: UpdateMemberBody } } },
  },
  responses: {
    200: { description: "The member as it is now", content: { "application/json": { schema: MemberSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

export type UpdateMemberRequest = OperationRequest<typeof route>;
export type UpdateMemberResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const partnerId = callerPartnerId(c);
    const body = c.req.valid("json");
    const access = await memberAccess(deps.reader, program_id, external_id, partnerId, deps.clock.now());
    const member = await updateMemberProfile(
      deps,
      access,
      partnerId,
      {
        email: body.email,
        name: body.name,
        locale: body.locale,
        birthDate: body.birth_date,
        attributes: body.attributes,
      },
      toMember,
    );
    return c.json(member, 200);
  });
