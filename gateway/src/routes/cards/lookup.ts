import { createRoute, z } from "@hono/zod-openapi";
import { memberByCard } from "../../domain/cards";
import { memberDetails } from "../../domain/members";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberSchema, toMember } from "../members/schemas";
import { CardNumber } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/cards/{number}",
  operationId: "getMemberByCard",
  tags: ["Members"],
  summary: "Find the member holding a card",
  description:
    "The member a card number is linked to, as `getMember` answers it. Spaces and dashes in the number are " +
    "ignored and letters upper-cased. 404 when no member holds it.",
  security: [{ bearerAuth: ["members:read"] }, { bearerAuth: ["operator"] }],
  middleware: [requireScope("members:read", "operator")] as const,
  request: {
    params: z.object({
      program_id: z
        .string()
        .openapi({ param: { name: "program_id", in: "path" }, example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
      number: CardNumber.openapi({ param: { name: "number", in: "path" } }),
    }),
  },
  responses: {
    200: { description: "The member", content: { "application/json": { schema: MemberSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type GetMemberByCardRequest = OperationRequest<typeof route>;
export type GetMemberByCardResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, number } = c.req.valid("param");
    const access = await memberByCard(deps, program_id, number, c.get("principal")?.partnerId ?? null);
    return c.json(toMember(access.member, await memberDetails(deps, access)), 200);
  });
