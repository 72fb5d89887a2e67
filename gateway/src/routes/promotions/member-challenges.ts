import { createRoute, z } from "@hono/zod-openapi";
import { memberAccess } from "../../domain/access";
import { type MemberChallenge, memberChallenges } from "../../domain/promotions/member-challenges";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberPathParams } from "../members/schemas";

const counts = {
  earns: z.number().int().nullable().openapi({ example: 5 }),
  spend_minor: z.number().int().nullable().openapi({ example: 50_000 }),
};

const MemberChallengeSchema = z
  .object({
    promotion_id: z.string().openapi({ example: "pro_01jdz6b2c4d6f8g0h2j4k6m8n0" }),
    name: z.string().openapi({ example: "Five visits in March" }),
    ends_at: z.iso.datetime().nullable(),
    target: z.object(counts).openapi({
      description: "What completes it: this many earns, or this much spend in minor units (null: not asked)",
    }),
    progress: z
      .object({ earns: z.number().int(), spend_minor: z.number().int() })
      .openapi({ description: "The member's qualifying earns and their purchase amounts inside the window so far" }),
    completed_at: z.iso.datetime().nullable().openapi({ description: "When the member completed it and was paid" }),
    bonus_points: z.number().int().openapi({ description: "What completing it pays", example: 500 }),
  })
  .openapi("MemberChallenge");

const MemberChallengeListSchema = z
  .object({ object: z.literal("list"), data: z.array(MemberChallengeSchema), has_more: z.literal(false) })
  .openapi("MemberChallengeList");

const toMemberChallenge = (challenge: MemberChallenge) =>
  MemberChallengeSchema.parse({
    promotion_id: challenge.promotionId,
    name: challenge.name,
    ends_at: challenge.endsAt?.toISOString() ?? null,
    target: { earns: challenge.target.earns ?? null, spend_minor: challenge.target.spend_minor ?? null },
    progress: { earns: challenge.progress.earns, spend_minor: challenge.progress.spendMinor },
    completed_at: challenge.completedAt?.toISOString() ?? null,
    bonus_points: challenge.bonusPoints,
  });

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}/challenges",
  operationId: "listMemberChallenges",
  tags: ["Promotions"],
  summary: "A member's challenges and progress",
  description:
    "The program's `challenge` promotions in force now (active, started and not ended), highest priority first, " +
    "each with the member's progress: its qualifying earns inside the promotion's window and their purchase " +
    "amounts, and when it was completed (and paid `bonus_points`, once). A member who has not earned since a " +
    "challenge started shows zero progress. A member held out of a challenge (its control group) is not shown it, " +
    "nor one for tiers the member does not hold (until an earn counted towards it). " +
    "For partners with an agreement on the program.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScope("members:read")] as const,
  request: { params: MemberPathParams },
  responses: {
    200: {
      description: "The member's challenges",
      content: { "application/json": { schema: MemberChallengeListSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListMemberChallengesRequest = OperationRequest<typeof route>;
export type ListMemberChallengesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const access = await memberAccess(deps.reader, program_id, external_id, callerPartnerId(c), deps.clock.now());
    const challenges = await memberChallenges(deps, access);
    return c.json({ object: "list" as const, data: challenges.map(toMemberChallenge), has_more: false as const }, 200);
  });
