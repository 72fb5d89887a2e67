import { createRoute, z } from "@hono/zod-openapi";
import { memberAccess } from "../../domain/access";
import { type ActivityKind, activityKinds, memberActivity } from "../../domain/member-activity";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { MemberActivityItemSchema, toActivityItem } from "./activity-items";
import { MemberPathParams } from "./schemas";

const kindList = `a comma-separated list of ${activityKinds.join(", ")}`;

/** `?kind=transaction,touchpoint`: the kinds to list, each once. */
const KindFilter = z
  .string()
  .transform((text, ctx) => {
    const kinds = text.split(",");
    if (!kinds.every((kind): kind is ActivityKind => (activityKinds as readonly string[]).includes(kind))) {
      ctx.addIssue({ code: "custom", message: `must be ${kindList}` });
      return z.NEVER;
    }
    return [...new Set(kinds)];
  })
  .openapi({ example: "transaction,touchpoint", description: `Only these kinds: ${kindList}` });

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}/activity",
  operationId: "listMemberActivity",
  tags: ["Members"],
  summary: "List a member's activity",
  description:
    "Everything that happened to the member in one list, newest first: transactions, redemption orders, tier " +
    "changes, segment joins and touchpoints. Each item is the record as its own route shows it, with its `kind` " +
    "and `occurred_at` (the moment the list is ordered by; equal moments by `id`). Page with the `id` of an item " +
    "(`starting_after`, `ending_before`), whatever its kind; narrow with `kind`. For partners with an agreement on " +
    "the program; segment joins are shown to the program's owner only. Not to be confused with `/activities`, the " +
    "actions recorded with `POST /v1/activities` for challenges.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScope("members:read")] as const,
  request: {
    params: MemberPathParams,
    query: ListQuerySchema.extend({ kind: KindFilter.optional() }).strict(),
  },
  responses: {
    200: {
      description: "A page of the member's activity",
      content: { "application/json": { schema: listOf(MemberActivityItemSchema, "MemberActivityList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListMemberActivityRequest = OperationRequest<typeof route>;
export type ListMemberActivityResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const { kind, ...page } = c.req.valid("query");
    const partnerId = callerPartnerId(c);
    const access = await memberAccess(deps.reader, program_id, external_id, partnerId, deps.clock.now());
    const result = await memberActivity(deps, access, partnerId, { ...page, kinds: kind });
    return c.json({ ...result, data: result.data.map((item) => toActivityItem(item, access)) }, 200);
  });
