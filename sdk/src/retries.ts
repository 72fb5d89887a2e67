import { GatewayError } from "./errors.js";
import { retryAfterMs } from "./response-meta.js";

/** How calls are retried. */
export type RetryPolicy = {
  /** Retries after the first attempt (default 3). */
  maxRetries: number;
  /** Each attempt's time limit in ms (default 30,000). */
  timeoutMs: number;
  /** First backoff in ms, doubled each retry, with jitter (default 500). */
  baseDelayMs: number;
  /** Longest wait between attempts, `Retry-After` included (default 20,000). */
  maxDelayMs: number;
};

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  timeoutMs: 30_000,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
};

/**
 * A signal that aborts when either does, and `release()` to stop listening to them (a caller's signal shared
 * by many calls, say a shutdown signal, would otherwise keep one listener per attempt for ever).
 */
function eitherSignal(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const listeners: [AbortSignal, () => void][] = [];
  for (const signal of [a, b]) {
    if (signal.aborted) controller.abort(signal.reason);
    else {
      const listener = () => controller.abort(signal.reason);
      signal.addEventListener("abort", listener, { once: true });
      listeners.push([signal, listener]);
    }
  }
  const release = () => {
    for (const [signal, listener] of listeners) signal.removeEventListener("abort", listener);
  };
  return { signal: controller.signal, release };
}

/** Waits `ms`, or less when `signal` aborts (the caller then finds it aborted). */
const sleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/** The gateway's own error when no answer came, naming the network's cause (ECONNREFUSED, ENOTFOUND...). */
function causeOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : "";
  return detail && !message.includes(detail) ? `${message} (${detail})` : message;
}

const attempts = (count: number) => `${count} ${count === 1 ? "attempt" : "attempts"}`;

/** Codes that can succeed soon, when the gateway does not say (`Should-Retry`): busy, failing, or still running. */
const retryableCodes = new Set(["rate_limited", "idempotency_in_flight", "internal_error", "service_unavailable"]);

/**
 * Whether an answer is worth another attempt. The gateway says so in `Should-Retry: true|false` on every
 * problem; without it (a proxy's answer), a 5xx, a 429 `rate_limited` and a 409 `idempotency_in_flight` are.
 * A fraud rule's 429 (`earn_limit_exceeded`...) is not: its window lasts minutes to hours.
 */
async function retryable(response: Response): Promise<boolean> {
  const said = response.headers.get("Should-Retry");
  if (said === "true" || said === "false") return said === "true";
  if (response.status >= 500) return true;
  if (response.status !== 429 && response.status !== 409) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { code?: unknown };
  return typeof body.code === "string" && retryableCodes.has(body.code);
}

function backoffMs(policy: RetryPolicy, retry: number): number {
  const exponential = policy.baseDelayMs * 2 ** retry;
  return Math.min(policy.maxDelayMs, exponential / 2 + Math.random() * (exponential / 2));
}

/**
 * Sends `attempt()` until it gets an answer worth keeping: network errors, timeouts and answers that can
 * succeed soon (see `retryable`) are retried with exponential backoff (or the answer's `Retry-After`, unless
 * it is longer than `maxDelayMs`: then the answer is returned at once), up to `maxRetries` times. The last answer is returned whatever it is; no answer at all throws a GatewayError.
 * `attempt` gets the signal that limits its time.
 */
export async function withRetries(
  policy: RetryPolicy,
  attempt: (signal: AbortSignal) => Promise<Response>,
  callerSignal?: AbortSignal | null,
): Promise<Response> {
  for (let retry = 0; ; retry++) {
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const either = callerSignal ? eitherSignal(callerSignal, timeout) : undefined;
    let response: Response;
    try {
      response = await attempt(either?.signal ?? timeout);
    } catch (error) {
      if (callerSignal?.aborted) throw abortedError(callerSignal);
      const timedOut = timeout.aborted;
      if (retry < policy.maxRetries) {
        await sleep(backoffMs(policy, retry), callerSignal);
        if (callerSignal?.aborted) throw abortedError(callerSignal);
        continue;
      }
      throw new GatewayError({
        status: 0,
        code: timedOut ? "timeout" : "network_error",
        message: timedOut
          ? `No answer within ${policy.timeoutMs} ms after ${attempts(retry + 1)}.`
          : `The gateway could not be reached after ${attempts(retry + 1)}: ${causeOf(error)}`,
        cause: error,
      });
    } finally {
      either?.release();
    }
    if (retry < policy.maxRetries && (await retryable(response))) {
      const asked = retryAfterMs(response.headers);
      // Waiting longer than the cap would only fail later: answer now, with the Retry-After in the error.
      if (asked !== undefined && asked > policy.maxDelayMs) return response;
      const wait = asked ?? backoffMs(policy, retry);
      await response.body?.cancel().catch(() => {});
      await sleep(wait, callerSignal);
      if (callerSignal?.aborted) throw abortedError(callerSignal);
      continue;
    }
    return response;
  }
}

/** The error of a call its caller's signal aborted. */
export const abortedError = (signal: AbortSignal) =>
  new GatewayError({
    status: 0,
    code: "aborted",
    message: "The call was aborted by its signal.",
    cause: signal.reason,
  });
