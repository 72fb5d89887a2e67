import { createRoute } from "@hono/zod-openapi";
import { cardMemberAccess, unlinkCard } from "../../domain/cards";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberPathParams } from "../members/schemas";
import { CardNumber, CardSchema, toCard } from "./schemas";

export const route = createRoute({
  method: "delete",
  path: "/v1/programs/{program_id}/members/{external_id}/cards/{number}",
  operationId: "unlinkMemberCard",
  tags: ["Members"],
  summary: "Unlink a card from a member",
  description:
    "A lost card: the number no longer finds the member and may be linked to anyone. Answers the card as it " +
    "was; 404 when the member does not hold the number.",
  security: [{ bearerAuth: ["members:write"] }, { bearerAuth: ["operator"] }],
  middleware: [requireScope("members:write", "operator")] as const,
  request: {
    params: MemberPathParams.extend({ number: CardNumber.openapi({ param: { name: "number", in: "path" } }) }),
  },
  responses: {
    200: { description: "The unlinked card", content: { "application/json": { schema: CardSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type UnlinkMemberCardRequest = OperationRequest<typeof route>;
export type UnlinkMemberCardResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id, number } = c.req.valid("param");
    const access = await cardMemberAccess(deps, program_id, external_id, c.get("principal")?.partnerId ?? null);
    return c.json(toCard(await unlinkCard(deps, access, number), access.member.externalId), 200);
  });
