import { z } from "@hono/zod-openapi";
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError, type ErrorCode, errorCodes, fieldPath, IdempotencyKeyTaken } from "../errors";
import type { AppEnv } from "./context";

/** Every code, as an enum in the document: the SDK types `GatewayError.code` from it. */
const codes = Object.keys(errorCodes) as ErrorCode[];

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(codes).openapi({ description: "Stable and machine-readable: branch on it, never on `detail`" }),
    request_id: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    rule: z.string().optional().openapi({
      description: "The velocity rule that refused or held the request (`*_limit_exceeded`)",
      example: "max_earn_points_per_member_per_day",
    }),
  })
  .openapi("Problem");

const problemType = (code: ErrorCode) => `urn:coalition-gateway:problem:${code}`;

/**
 * The codes a client may retry as they are, with backoff or after `Retry-After`: the gateway was busy or failing,
 * or the same idempotency key is still running. Every problem says `Should-Retry: true|false` (as Stripe's
 * `Stripe-Should-Retry`), so a client need not guess: a fraud rule's 429 or a 409 `insufficient_points` will not
 * succeed by sending it again.
 */
const retryableCodes = new Set<ErrorCode>([
  "rate_limited",
  "idempotency_in_flight",
  "internal_error",
  "service_unavailable",
]);

/** Builds the problem response for an error code; used by `onError` and by middleware that answers early. */
export function problem(c: Context<AppEnv>, error: ApiError): Response {
  const answer = problemAnswer(error, c.get("requestId") ?? "");
  return c.newResponse(answer.body, answer.status as 400, answer.headers);
}

/** A problem's status, JSON body and headers, for `problem` and for answers written without Hono (node-listener.ts). */
export function problemAnswer(error: ApiError, requestId: string) {
  const [status, title] = errorCodes[error.code];
  const body = {
    type: problemType(error.code),
    title,
    status,
    detail: error.detail,
    code: error.code,
    request_id: requestId,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
    ...error.options.extra,
  };
  return {
    status,
    body: JSON.stringify(body),
    headers: {
      ...error.options.headers,
      "Content-Type": "application/problem+json",
      "Should-Retry": String(retryableCodes.has(error.code)),
    } as Record<string, string>,
  };
}

export function validationError(issues: readonly z.core.$ZodIssue[], target?: string): ApiError {
  const errors = issues.map((issue) => ({
    path: fieldPath(issue.path) || (target === "json" ? "body" : (target ?? "")),
    message: issue.message,
  }));
  const where = target === "json" ? "body" : target === "param" ? "path" : (target ?? "request");
  return new ApiError("validation_failed", `The request ${where} has ${errors.length} invalid field(s).`, { errors });
}

/** zod-openapi's hook: every validation failure becomes `validation_failed` with field paths. */
export const defaultHook = (result: { success: boolean; error?: z.ZodError; target?: string }, _c: Context<AppEnv>) => {
  if (!result.success && result.error) throw validationError(result.error.issues, result.target);
};

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ApiError) return problem(c, error);
  // A lost idempotency race, not a failure: the idempotency middleware replaces this with the replay.
  if (error instanceof IdempotencyKeyTaken)
    return problem(c, new ApiError("idempotency_in_flight", "A concurrent request with this key committed first."));
  if (error instanceof HTTPException) {
    if (error.status === 413) return problem(c, new ApiError("payload_too_large", "The request body is too large."));
    if (/media type/i.test(error.message))
      return problem(
        c,
        new ApiError("unsupported_media_type", "Send the body as application/json with that Content-Type."),
      );
    if (error.status === 400 && /json/i.test(error.message))
      return problem(c, new ApiError("validation_failed", "The request body is not valid JSON."));
    if (error.status === 401)
      return problem(c, new ApiError("unauthorized", error.message || "Authentication required."));
    if (error.status < 500) return problem(c, new ApiError("validation_failed", error.message || "Bad request."));
  }
  c.get("deps")?.log("error", "unhandled error", {
    request_id: c.get("requestId"),
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  return problem(
    c,
    new ApiError("internal_error", "Something went wrong on our side. Quote the request id if you contact us."),
  );
};

const exampleFor = (code: ErrorCode, detail: string) => ({
  type: problemType(code),
  title: errorCodes[code][1],
  status: errorCodes[code][0],
  detail,
  code,
  request_id: "req_01jdz3k7q8m2x9v4b6n0c5t1wa",
});

const responseDescriptions = {
  400: ["Invalid request", "validation_failed", "The request body has 1 invalid field(s)."],
  401: ["Missing, invalid or expired access token", "unauthorized", "The access token has expired."],
  403: [
    "The token lacks the scope, or the partner is suspended",
    "forbidden",
    "This route needs the scope `operator`.",
  ],
  404: ["No such resource for this caller", "not_found", "No partner ptn_01jdz3k7q8m2x9v4b6n0c5t1wa."],
  409: ["Conflict with the current state", "conflict", "A member with this external_id already exists."],
  413: ["Request body too large", "payload_too_large", "The request body is too large."],
  415: ["Body is not JSON", "unsupported_media_type", "Send the body as application/json."],
  422: ["Idempotency key reused", "idempotency_key_reused", "This Idempotency-Key was used with another body."],
  429: ["Rate limited", "rate_limited", "Too many requests; retry after 3 seconds."],
  500: ["Internal error", "internal_error", "Something went wrong on our side."],
  503: [
    "A database cannot be reached; retry the same request",
    "service_unavailable",
    "The database eu could not be reached; repeat the same request.",
  ],
} as const satisfies Record<number, readonly [string, ErrorCode, string]>;

/** The error responses a route documents, spread into its `responses`. */
export function errorResponses(...statuses: (keyof typeof responseDescriptions)[]) {
  return Object.fromEntries(
    statuses.map((status) => {
      const [description, code, detail] = responseDescriptions[status];
      return [
        status,
        {
          description,
          content: { "application/problem+json": { schema: ProblemSchema, example: exampleFor(code, detail) } },
        },
      ];
    }),
  );
}
