/** One invalid field of a request, as the gateway reports it. */
export type FieldError = { path: string; message: string };

/**
 * Every failed call throws this: an answer of the gateway that is not a success (its RFC 9457 problem), or no
 * answer at all (`status` 0 and `code` "network_error" or "timeout") once retries are spent.
 * Branch on `code`, never on `message`; quote `requestId` when you contact the operator.
 */
export class GatewayError extends Error {
  override name = "GatewayError";
  /** HTTP status, or 0 when no answer came. */
  readonly status: number;
  /** The stable machine code, e.g. `insufficient_points`, `idempotency_key_reused`, `rate_limited`. */
  readonly code: string;
  /** The gateway's `Request-Id` of the failed request, when it answered. */
  readonly requestId: string | undefined;
  /** Field errors of a `validation_failed` answer. */
  readonly errors: FieldError[];
  /** The whole problem body, with any extra members (e.g. `rule` of a velocity limit). */
  readonly body: Record<string, unknown>;

  constructor(input: {
    status: number;
    code: string;
    message: string;
    requestId?: string;
    errors?: FieldError[];
    body?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(input.message, { cause: input.cause });
    this.status = input.status;
    this.code = input.code;
    this.requestId = input.requestId;
    this.errors = input.errors ?? [];
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
    return new GatewayError({
      status: response.status,
      code: typeof problem.code === "string" ? problem.code : `http_${response.status}`,
      message: `${response.status} ${detail}${requestId ? ` (request ${requestId})` : ""}`,
      requestId: typeof problem.request_id === "string" ? problem.request_id : requestId,
      errors: Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [],
      body: problem,
    });
  }
}
