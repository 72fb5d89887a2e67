import { retryAfterMs } from "./response-meta.js";
import type { components } from "./schema.js";

const brand = Symbol.for("@coalition-gateway/sdk.GatewayError");

/** One invalid field of a request, as the gateway reports it. */
export type FieldError = { path: string; message: string };

/**
 * Every `code` a failed call can have: the gateway's own (the enum of its problem documents, so a `switch` over
 * them is checked); the client's when no answer came (`network_error`, `timeout`) or the caller's signal
 * stopped the call (`aborted`); and `http_<status>` for an answer that is not a problem document (a proxy's
 * error page, or a success whose body could not be read).
 */
export type GatewayErrorCode =
  | components["schemas"]["Problem"]["code"]
  | "network_error"
  | "timeout"
  | "aborted"
  | `http_${number}`;

/**
 * Every failed call throws this: an answer of the gateway that is not a success (its RFC 9457 problem), or no
 * answer at all (`status` 0) once retries are spent. Branch on `code`, never on `message`; quote `requestId`
 * when you contact the operator.
 */
export class GatewayError extends Error {
  override name = "GatewayError";
  /**
   * `instanceof` by brand, not by class: an application whose ES modules and CommonJS dependencies load the
   * SDK's two builds still recognises the other build's errors.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
  readonly [brand] = true;
  /** HTTP status, or 0 when no answer came. */
  readonly status: number;
  /** The stable machine code, e.g. `insufficient_points`, `idempotency_key_reused`, `rate_limited`. */
  readonly code: GatewayErrorCode;
  /** The gateway's `Request-Id` of the failed request, when it answered. */
  readonly requestId: string | undefined;
  /** Field errors of a `validation_failed` answer. */
  readonly errors: FieldError[];
  /** Seconds the gateway asks to wait before trying again (`Retry-After`), when it says. */
  readonly retryAfter: number | undefined;
  /** The velocity rule that refused the request (`*_limit_exceeded`), e.g. `max_earn_points_per_member_per_day`. */
  readonly rule: string | undefined;
  /** The whole problem body, with any extra members. */
  readonly body: Record<string, unknown>;

  constructor(input: {
    status: number;
    code: GatewayErrorCode;
    message: string;
    requestId?: string;
    errors?: FieldError[];
    retryAfter?: number;
    rule?: string;
    body?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(input.message, { cause: input.cause });
    this.status = input.status;
    this.code = input.code;
    this.requestId = input.requestId;
    this.errors = input.errors ?? [];
    this.retryAfter = input.retryAfter;
    this.rule = input.rule;
    this.body = input.body ?? {};
  }

  /** The error for a gateway answer that is not a success, reading its body. */
  static async fromResponse(response: Response): Promise<GatewayError> {
    const text = await response.text().catch(() => "");
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): keep the status and the start of the text.
    }
    return GatewayError.fromBody(response, body);
  }

  /** The error for a gateway answer whose body was already read (`body`: parsed JSON, or text). */
  static fromBody(response: Response, body: unknown): GatewayError {
    const requestId = response.headers.get("Request-Id") ?? undefined;
    const problem = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
    const detail =
      typeof problem.detail === "string"
        ? problem.detail
        : (typeof body === "string" && body.slice(0, 200)) || response.statusText;
    const wait = retryAfterMs(response.headers);
    const errors = Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [];
    // The first fields at fault in the message itself, for logs and error trackers that show nothing else.
    const fields = errors
      .slice(0, 3)
      .map((error) => `${error.path}: ${error.message}`)
      .join("; ");
    const more = errors.length > 3 ? `; and ${errors.length - 3} more` : "";
    return new GatewayError({
      status: response.status,
      // A code this SDK does not know yet (a newer gateway) is kept as it came: branch on the ones you handle.
      code: typeof problem.code === "string" ? (problem.code as GatewayErrorCode) : `http_${response.status}`,
      message: `${response.status} ${detail}${fields ? ` ${fields}${more}.` : ""}${requestId ? ` (request ${requestId})` : ""}`,
      requestId: typeof problem.request_id === "string" ? problem.request_id : requestId,
      errors,
      retryAfter: wait === undefined ? undefined : Math.ceil(wait / 1000),
      rule: typeof problem.rule === "string" ? problem.rule : undefined,
      body: problem,
    });
  }

  /** A success whose body could not be read as the operation says (not JSON: a proxy or a captive portal). */
  static unreadable(response: Response, cause: unknown): GatewayError {
    return new GatewayError({
      status: response.status,
      code: `http_${response.status}`,
      message: `${response.status} answered with a body that could not be read (${response.headers.get("Content-Type") ?? "no Content-Type"}): is baseUrl the gateway?`,
      requestId: response.headers.get("Request-Id") ?? undefined,
      cause,
    });
  }
}
