import { createRoute } from "@hono/zod-openapi";
import { setPartnerStatus } from "../../domain/partners";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { PartnerIdParam, PartnerSchema, toPartner } from "./schemas";

/** Suspend and reactivate are one operation with two verbs; both are idempotent. */
const statusRoute = (verb: "suspend" | "reactivate") =>
  createRoute({
    method: "post",
    path: `/v1/partners/{id}/${verb}`,
    operationId: verb === "suspend" ? "suspendPartner" : "reactivatePartner",
    tags: ["Partners"],
    summary: verb === "suspend" ? "Suspend a partner" : "Reactivate a partner",
    description:
      verb === "suspend"
        ? "Takes effect at once: every request with the partner's tokens, even unexpired ones, answers 403 `partner_suspended`, and no new token is issued."
        : "Lifts a suspension; the partner's credentials work again.",
    security: [{ bearerAuth: ["operator"] }],
    middleware: [requireScope("operator"), idempotency({ required: false, atomic: false })] as const,
    request: { params: PartnerIdParam },
    responses: {
      200: { description: "The partner", content: { "application/json": { schema: PartnerSchema } } },
      ...errorResponses(401, 403, 404),
    },
  });

export const suspendRoute = statusRoute("suspend");
export const reactivateRoute = statusRoute("reactivate");

export type SuspendPartnerRequest = OperationRequest<typeof suspendRoute>;
export type SuspendPartnerResponse = OperationResponse<typeof suspendRoute>;
export type ReactivatePartnerRequest = OperationRequest<typeof reactivateRoute>;
export type ReactivatePartnerResponse = OperationResponse<typeof reactivateRoute>;

export const register = (app: ReturnType<typeof createRouter>) => {
  app.openapi(suspendRoute, async (c) =>
    c.json(toPartner(await setPartnerStatus(c.get("deps"), c.req.valid("param").id, "suspended")), 200),
  );
  app.openapi(reactivateRoute, async (c) =>
    c.json(toPartner(await setPartnerStatus(c.get("deps"), c.req.valid("param").id, "active")), 200),
  );
};
