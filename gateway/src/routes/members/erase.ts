import { createRoute } from "@hono/zod-openapi";
import { eraseMember } from "../../domain/privacy/erase";
import { requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { OptionalIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberPathParams, MemberSchema, toMember } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/members/{external_id}/erase",
  operationId: "eraseMember",
  tags: ["Members"],
  summary: "Erase a member's personal data",
  description:
    "Blanks the member's email, name, locale, birth date and attributes, removes its touchpoints' notes and its " +
    "orders' delivery addresses, unlinks its cards, closes its hosted pages, and blanks the copies that stored " +
    "events carry, in one atomic write with a `member.erased` event to the program's owner and every partner with " +
    "an agreement in the program. The ledger, statements and reports do not change: the member keeps its id, " +
    "external id, transactions and balance, and still reads (200). From then on it can no longer earn, burn, " +
    "redeem, transfer, convert, be adjusted, updated, given a card, touchpoint or hosted page (409 " +
    "`invalid_state`); reversals of its past transactions and expiry go on. Erasing an erased member answers it " +
    "as it is, with no second event. For the program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["programs:manage"] }, { bearerAuth: ["operator"] }],
  middleware: [requireScope("programs:manage", "operator"), idempotency({ required: false, atomic: true })] as const,
  request: { params: MemberPathParams, headers: OptionalIdempotencyHeader },
  responses: {
    200: { description: "The member as erased", content: { "application/json": { schema: MemberSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

export type EraseMemberRequest = OperationRequest<typeof route>;
export type EraseMemberResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { program_id, external_id } = c.req.valid("param");
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const result = await eraseMember(
      c.get("deps"),
      { caller, programId: program_id, externalId: external_id },
      toMember,
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
