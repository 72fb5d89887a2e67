import { createRoute, z } from "@hono/zod-openapi";
import { cardMemberAccess, linkCard } from "../../domain/cards";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { OptionalIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberPathParams } from "../members/schemas";
import { CardNumber, CardSchema, toCard } from "./schemas";

const LinkCardBody = z
  .object({
    number: CardNumber,
    replace: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Moves the number from the member holding it to this one, in one atomic write (a lost card given to " +
          "someone else). Without it (the default), a number another member holds answers 409.",
      }),
  })
  .strict()
  .openapi("LinkCard", { example: { number: "4000 1234-5678 9010" } });

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/members/{external_id}/cards",
  operationId: "linkMemberCard",
  tags: ["Members"],
  summary: "Link a card to a member",
  description:
    "Links a card number (plastic or digital) to the member. Numbers are unique per program; spaces and dashes " +
    "are ignored and letters upper-cased, so `4000 1234-5678` and `400012345678` are the same card. " +
    "201 when the number is newly linked (or moved with `replace`); 200 with the card as it was when the member " +
    "already holds it, so repeating the call is safe. 409 `conflict` when another member holds the number " +
    "(the problem does not name it; look the number up with `getMemberByCard`), unless `replace` is true.",
  security: [{ bearerAuth: ["members:write"] }, { bearerAuth: ["operator"] }],
  middleware: [requireScope("members:write", "operator"), idempotency({ required: false, atomic: false })] as const,
  request: {
    params: MemberPathParams,
    headers: OptionalIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: LinkCardBody } } },
  },
  responses: {
    200: {
      description: "The member already held the card; nothing changed",
      content: { "application/json": { schema: CardSchema } },
    },
    201: { description: "The card, linked to the member", content: { "application/json": { schema: CardSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

export type LinkMemberCardRequest = OperationRequest<typeof route>;
export type LinkMemberCardResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const access = await cardMemberAccess(deps, program_id, external_id, c.get("principal")?.partnerId ?? null);
    const body = c.req.valid("json");
    const { status, card } = await linkCard(deps, access, { number: body.number, replace: body.replace ?? false });
    return c.json(toCard(card, access.member.externalId), status);
  });
