import { createRoute, z } from "@hono/zod-openapi";
import { pingDatabase } from "../../db/queries/health";
import { ApiError, errorCodes } from "../../errors";
import type { createRouter } from "../../http/context";
import { ProblemSchema } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { gatewayVersion } from "./version";

/** A database that has not answered by then counts as down; load balancers should not wait on a hung link. */
const databaseTimeoutMs = 2_000;

const HealthSchema = z
  .object({
    status: z.literal("ok"),
    database: z.literal("ok"),
    version: z.string().openapi({ example: gatewayVersion }),
    sandbox: z.boolean().openapi({
      description: "Whether this deployment is a sandbox (`SANDBOX=true`), with a test clock under `/v1/sandbox`",
    }),
  })
  .openapi("Health");

export const route = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["Meta"],
  summary: "Check the gateway's health",
  description:
    "Answers 200 when the gateway can query its database, 503 `service_unavailable` when it cannot. " +
    "Needs no token; meant for load balancers and uptime checks.",
  security: [],
  responses: {
    200: {
      description: "The gateway and its database answer",
      content: { "application/json": { schema: HealthSchema } },
    },
    503: {
      description: "The database does not answer",
      content: {
        "application/problem+json": {
          schema: ProblemSchema,
          example: {
            type: "urn:coalition-gateway:problem:service_unavailable",
            title: errorCodes.service_unavailable[1],
            status: 503,
            detail: "The database did not answer.",
            code: "service_unavailable",
            request_id: "req_01jdz3k7q8m2x9v4b6n0c5t1wa",
          },
        },
      },
    },
  },
});

/** Resolves when `work` does; rejects when it fails or takes longer than `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type GetHealthRequest = OperationRequest<typeof route>;
export type GetHealthResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { db, log, config } = c.get("deps");
    c.header("Cache-Control", "no-store");
    try {
      await within(databaseTimeoutMs, pingDatabase(db));
    } catch (error) {
      log("warn", "health check: database unavailable", {
        request_id: c.get("requestId"),
        error: error instanceof Error ? error.message : String(error),
      });
      // The driver's message can name hosts or file paths; it goes to the log, not to the caller.
      throw new ApiError("service_unavailable", "The database did not answer.", {
        headers: { "Cache-Control": "no-store", "Retry-After": "5" },
      });
    }
    return c.json(
      HealthSchema.parse({ status: "ok", database: "ok", version: gatewayVersion, sandbox: config.SANDBOX }),
      200,
    );
  });
