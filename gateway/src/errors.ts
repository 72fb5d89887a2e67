/**
 * The error vocabulary of the gateway: every stable code with its status and title, the one error type the
 * domain and the routes throw, and the signal of a lost idempotency race. It imports nothing, so every layer
 * may use it; http/errors.ts renders these as problem+json.
 */

/** Every stable error code, with its HTTP status and a short title. */
export const errorCodes = {
  validation_failed: [400, "The request is not valid"],
  unsupported_grant_type: [400, "Unsupported grant type"],
  invalid_scope: [400, "Invalid scope"],
  unauthorized: [401, "Authentication required"],
  forbidden: [403, "Not allowed"],
  not_eligible: [403, "The member may not redeem this reward"],
  transfers_disabled: [403, "Transfers are disabled in this program"],
  partner_suspended: [403, "Partner suspended"],
  not_found: [404, "Not found"],
  method_not_allowed: [405, "Method not allowed"],
  conflict: [409, "Conflict"],
  insufficient_points: [409, "Insufficient points"],
  idempotency_in_flight: [409, "Request with this idempotency key is still in flight"],
  quote_expired: [409, "Quote expired"],
  invalid_state: [409, "Not possible in the current state"],
  out_of_stock: [409, "Out of stock"],
  limit_exceeded: [409, "Limit exceeded"],
  payload_too_large: [413, "Request body too large"],
  unsupported_media_type: [415, "Unsupported content type"],
  idempotency_key_reused: [422, "Idempotency key reused with a different request"],
  unknown_database: [422, "No database of that name"],
  rate_limited: [429, "Too many requests"],
  earn_limit_exceeded: [429, "Earn velocity limit reached"],
  burn_limit_exceeded: [429, "Burn velocity limit reached"],
  conversion_limit_exceeded: [429, "Conversion velocity limit reached"],
  internal_error: [500, "Internal server error"],
  service_unavailable: [503, "Service unavailable"],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof errorCodes;
export type FieldError = { path: string; message: string };

/**
 * A value a problem is about, typed so that a page can format it in its reader's language: a count, a moment,
 * a wait (`{ seconds }`) or an amount of money in minor units (`{ amountMinor, currency }`), or a word.
 */
export type ProblemValue = string | number | Date | { seconds: number } | { amountMinor: number; currency: string };

/**
 * The one error type handlers throw; `onError` turns it into RFC 9457 problem JSON. `values` are for the
 * portal, which words problems for people: they never reach the API's problem JSON, whose `detail` says the same.
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly options: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
      values?: Record<string, ProblemValue>;
    } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = errorCodes[code][0];
  }
}

/** Field path as partners read it: `purchase.amount_minor`, `lines[2].points`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (joined, key) =>
      typeof key === "number" ? `${joined}[${key}]` : joined ? `${joined}.${String(key)}` : String(key),
    "",
  );
}

/**
 * A concurrent request with the same idempotency key committed first (its UNIQUE index refused this write).
 * Not a failure: the idempotency middleware answers with the winner's stored response.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super("idempotency key committed by a concurrent request");
    this.name = "IdempotencyKeyTaken";
  }
}

/**
 * A write was planned on facts that changed before it committed (a member's tier, a reversal's progress): nothing
 * was written, and the operation plans again from fresh reads.
 */
export class StaleWrite extends Error {
  constructor() {
    super("the facts a write was planned on changed before it committed");
    this.name = "StaleWrite";
  }
}
