import { createRoute } from "@hono/zod-openapi";
import { operatorScope, partnerScopes } from "../../auth/scopes";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { clockBody, SandboxClockSchema, sandboxClockOf } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/sandbox/clock",
  operationId: "getSandboxClock",
  tags: ["Sandbox"],
  summary: "Read the sandbox clock",
  description:
    "The time of a sandbox deployment's business clock, which the operator moves forward to let expiry, " +
    "schedules and retries happen. Any valid token may read it, the operator's or a partner's with any scope. " +
    "Only on sandbox deployments (`SANDBOX=true`); elsewhere the path answers 404.",
  security: [operatorScope, ...partnerScopes].map((scope) => ({ bearerAuth: [scope] })),
  middleware: [requireScope(operatorScope, ...partnerScopes)] as const,
  responses: {
    200: { description: "The sandbox clock", content: { "application/json": { schema: SandboxClockSchema } } },
    ...errorResponses(401, 403),
  },
});

export type GetSandboxClockRequest = OperationRequest<typeof route>;
export type GetSandboxClockResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, (c) => c.json(clockBody(sandboxClockOf(c.get("deps"))), 200));
