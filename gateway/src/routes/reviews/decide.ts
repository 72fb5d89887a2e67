import { createRoute, z } from "@hono/zod-openapi";
import { type Decision, decideReview } from "../../domain/reviews";
import { requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { DecidedReviewSchema } from "./schemas";

const DecisionBody = z
  .object({
    reason: z.string().trim().min(1).max(500).optional().openapi({ example: "Verified with the member by phone" }),
  })
  .strict()
  .openapi("ReviewDecision");

/** Approve and reject are one operation with two verbs: each is one atomic write. */
const decisionRoute = (verb: "approve" | "reject") =>
  createRoute({
    method: "post",
    path: `/v1/reviews/{id}/${verb}`,
    operationId: verb === "approve" ? "approveReview" : "rejectReview",
    tags: ["Reviews"],
    summary: verb === "approve" ? "Approve a held operation" : "Reject a held operation",
    description:
      verb === "approve"
        ? "Completes the held operation in one atomic write: a held conversion's points leave the source member and " +
          "the destination member is credited (`conversion.completed`); a held burn's points go to the redeeming " +
          "partner (`points.burned`); a held redemption's points go to its fulfilling partner and the order goes on " +
          "as placed, `pending` (or `fulfilled` with its reserved codes), with `redemption.created`. Records who " +
          "approved, when and why. A held conversion between programs on different databases is `pending` in the " +
          "answer: its points go to the destination's database next, and `conversion.completed` (or " +
          "`conversion.failed`) tells when they arrived."
        : "Releases the reserved points back to the member in one atomic write (`conversion.rejected` or " +
          "`points.released`); a held redemption is `rejected`, its units back in stock and its codes voided " +
          "(`redemption.cancelled`). Records who rejected, when and why.",
    security: [{ bearerAuth: ["operator"] }],
    middleware: [requireScope("operator"), idempotency({ required: false, atomic: true })] as const,
    request: {
      params: z.object({
        id: z.string().openapi({ param: { name: "id", in: "path" }, example: "rev_01jdz5f3h5k7m9p1r3t5v7x9z1" }),
      }),
      body: { required: false, content: { "application/json": { schema: DecisionBody } } },
    },
    responses: {
      200: {
        description: "The decided review with its conversion",
        content: { "application/json": { schema: DecidedReviewSchema } },
      },
      ...errorResponses(400, 401, 403, 404, 409, 415, 422),
    },
  });

export const approveRoute = decisionRoute("approve");
export const rejectRoute = decisionRoute("reject");

export type ApproveReviewRequest = OperationRequest<typeof approveRoute>;
export type ApproveReviewResponse = OperationResponse<typeof approveRoute>;
export type RejectReviewRequest = OperationRequest<typeof rejectRoute>;
export type RejectReviewResponse = OperationResponse<typeof rejectRoute>;

export const register = (app: ReturnType<typeof createRouter>) => {
  for (const [route, decision] of [
    [approveRoute, "approved"],
    [rejectRoute, "rejected"],
  ] as const)
    app.openapi(route, async (c) => {
      const body = (c.req.valid("json") as z.infer<typeof DecisionBody> | undefined) ?? {};
      const result = await decideReview(
        c.var.deps,
        {
          reviewId: c.req.valid("param").id,
          decision: decision satisfies Decision,
          decidedBy: c.var.principal?.clientId ?? "operator",
          reason: body.reason ?? null,
        },
        c.var.idempotency,
      );
      return committedResponse(c, result);
    });
};
