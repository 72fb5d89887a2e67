/** What an answer says beside its body, for `withResponse()` and for a {@link GatewayError}. */
export type ResponseMeta = {
  /** The HTTP status. */
  status: number;
  /** The gateway's `Request-Id`: quote it when you contact the operator. */
  requestId: string | undefined;
  /** The `Idempotency-Key` the call sent (yours, or the one generated for it); undefined when it sent none. */
  idempotencyKey: string | undefined;
  /**
   * True when the gateway answered with the stored first response to this `Idempotency-Key`
   * (`Idempotent-Replayed: true`): this call changed nothing, the first one did. One-time secrets in a replayed
   * body are null.
   */
  replayed: boolean;
  /** The request limit this call counted against (`RateLimit-Policy` and `RateLimit`), on limited routes. */
  rateLimit: RateLimit | undefined;
  /** Every header of the answer. */
  headers: Headers;
};

/** A request limit as the gateway states it (IETF RateLimit headers). */
export type RateLimit = {
  /** The limit's name, e.g. "partner". */
  policy: string;
  /** Requests allowed per window. */
  limit: number;
  /** The window, in seconds. */
  windowSeconds: number;
  /** Requests left in this window. */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
};

/** `"partner";q=600;w=60` -> { policy, q: 600, w: 60 }. */
function structuredItem(value: string | null): { name: string; params: Record<string, number> } | undefined {
  const match = value && /^"([^"]*)"((?:;\w+=\d+)*)$/.exec(value.trim());
  if (!match) return undefined;
  const params: Record<string, number> = {};
  for (const [, key, number] of (match[2] ?? "").matchAll(/;(\w+)=(\d+)/g)) params[key ?? ""] = Number(number);
  return { name: match[1] ?? "", params };
}

function rateLimitOf(headers: Headers): RateLimit | undefined {
  const policy = structuredItem(headers.get("RateLimit-Policy"));
  const state = structuredItem(headers.get("RateLimit"));
  if (!policy || !state) return undefined;
  return {
    policy: policy.name,
    limit: policy.params.q ?? 0,
    windowSeconds: policy.params.w ?? 0,
    remaining: state.params.r ?? 0,
    resetSeconds: state.params.t ?? 0,
  };
}

export function responseMeta(response: Response, idempotencyKey: string | undefined): ResponseMeta {
  return {
    status: response.status,
    requestId: response.headers.get("Request-Id") ?? undefined,
    idempotencyKey,
    replayed: response.headers.get("Idempotent-Replayed") === "true",
    rateLimit: rateLimitOf(response.headers),
    headers: response.headers,
  };
}

/** `Retry-After` in ms: seconds or an HTTP date, as the header allows. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get("Retry-After");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
