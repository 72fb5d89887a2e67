import { createRoute, z } from "@hono/zod-openapi";
import { operatorScope } from "../../auth/scopes";
import { moveSandboxClock } from "../../domain/sandbox-clock";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { clockBody, SandboxClockSchema, sandboxClockOf } from "./schemas";

/** Ten years: far enough for any schedule, near enough that the clock stays a valid RFC 3339 time. */
const maxAdvanceSeconds = 315_360_000;

const MoveClockBody = z
  .object({
    advance_seconds: z
      .number()
      .int()
      .min(1, "must be at least 1: the sandbox clock never moves back")
      .max(maxAdvanceSeconds, `must be at most ${maxAdvanceSeconds} (ten years) at a time`)
      .optional()
      .openapi({ example: 2_592_000, description: "Move forward by this many seconds" }),
    time: z.iso.datetime({ offset: true }).optional().openapi({
      example: "2027-01-01T00:00:00Z",
      description: "Move forward to this time; a time before the clock's now is refused",
    }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.advance_seconds === undefined) === (body.time === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["advance_seconds"],
        message: "send exactly one of advance_seconds or time",
      });
  })
  .openapi("SandboxClockMove", { example: { advance_seconds: 2_592_000 } });

export const route = createRoute({
  method: "post",
  path: "/v1/sandbox/clock",
  operationId: "advanceSandboxClock",
  tags: ["Sandbox"],
  summary: "Move the sandbox clock forward",
  description:
    "Moves the business clock of this sandbox deployment forward, by `advance_seconds` or to `time`, for every " +
    "instance of the deployment at once. It never moves back: a negative advance or an earlier time answers 400 " +
    "`validation_failed` naming the field. Access tokens keep real time. Nothing runs by itself at the new time: " +
    "`POST /v1/sandbox/jobs/run` runs the scheduled jobs (expiry, retries, clean-ups). Only on sandbox deployments " +
    "(`SANDBOX=true`); elsewhere the path answers 404.",
  security: [{ bearerAuth: [operatorScope] }],
  middleware: [requireScope(operatorScope), idempotency({ required: false, atomic: false })] as const,
  request: { body: { required: true, content: { "application/json": { schema: MoveClockBody } } } },
  responses: {
    200: { description: "The clock after the move", content: { "application/json": { schema: SandboxClockSchema } } },
    ...errorResponses(400, 401, 403, 409, 415, 422),
  },
});

export type AdvanceSandboxClockRequest = OperationRequest<typeof route>;
export type AdvanceSandboxClockResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { advance_seconds: advanceSeconds, time } = c.req.valid("json");
    const clock = sandboxClockOf(deps);
    // The body's schema lets exactly one of the two through.
    await moveSandboxClock(
      deps,
      clock,
      time === undefined ? { advanceSeconds: advanceSeconds ?? 0 } : { time: new Date(time) },
    );
    return c.json(clockBody(clock), 200);
  });
