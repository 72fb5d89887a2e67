import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { Principal } from "../auth/tokens";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import type { AppEnv } from "./context";
import { problem } from "./errors";

/** First middleware: hands the deps to the request and gives it an id, echoed as `Request-Id`. */
export const requestContext = (deps: Deps) =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set("deps", deps);
    const requestId = deps.ids("req");
    c.set("requestId", requestId);
    // Set before the handler, so it goes out with whatever response the handler creates.
    c.header("Request-Id", requestId);
    await next();
    if (leftBodyUnread(c)) c.header("Connection", "close");
  });

/**
 * True when the answer goes out before the request's body was read: a refusal on `Content-Length` (413), or
 * a 401, 404 or 429 that never needed the body. Node would otherwise keep the connection open while it
 * drains the rest, then drop it (after 500 ms), and the client's next pooled request would fail; with
 * `Connection: close` the client knows not to reuse it. Workers ignore the header.
 */
function leftBodyUnread(c: Context<AppEnv>): boolean {
  if (c.res.status === 413) return true;
  const declared = c.req.header("Content-Length");
  const hasBody = c.req.header("Transfer-Encoding") !== undefined || (declared !== undefined && declared !== "0");
  return hasBody && !c.req.raw.bodyUsed;
}

/**
 * Paths that carry a bearer secret: the hosted member page's token (`/portal/member/{token}/...`). Logs keep
 * the shape of the path, never the secret. (Queries, such as a set-password link's token, are never logged.)
 */
const tokenBearingPaths = [/^(\/+portal\/+member\/+)[^/]+/i];

const redactPath = (path: string) =>
  tokenBearingPaths.reduce((redacted, pattern) => redacted.replace(pattern, "$1[redacted]"), path);

/** One structured log line per request: id, partner, route, status, duration. */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  logRequest(c.get("deps"), {
    requestId: c.get("requestId"),
    method: c.req.method,
    route: routePath(c, -1),
    path: c.req.path,
    status: c.res.status,
    started,
    principal: c.get("principal"),
  });
});

/** `requestLog`'s line, also written by node-listener.ts for the answers it writes without Hono. */
export function logRequest(
  deps: Pick<Deps, "log">,
  line: {
    requestId: string;
    method: string;
    route: string;
    path: string;
    status: number;
    started: number;
    principal: Principal | undefined;
  },
) {
  deps.log("info", "request", {
    request_id: line.requestId,
    method: line.method,
    route: line.route,
    path: redactPath(line.path),
    status: line.status,
    duration_ms: Math.round((performance.now() - line.started) * 100) / 100,
    partner_id: line.principal?.partnerId ?? undefined,
    client_id: line.principal?.clientId,
  });
}

/**
 * Refuses a body over `limitBytes` with 413: at once when `Content-Length` says so, else while it streams in,
 * reading no further than the limit. Nothing larger is ever buffered.
 */
export const limitBody = (limitBytes: number) => {
  const tooLarge = (c: Context<AppEnv>) =>
    problem(c, new ApiError("payload_too_large", `The request body is larger than ${limitBytes} bytes.`));
  const streamed = bodyLimit({ maxSize: limitBytes, onError: tooLarge });
  return createMiddleware<AppEnv>(async (c, next) => {
    // A declared length is checked here without touching the body: Hono's bodyLimit asks for `raw.body` first,
    // which makes @hono/node-server build a web stream over the socket (8% of an earn's request thread) where
    // reading the text later would take its buffered fast path.
    const declared = c.req.header("Content-Length");
    if (declared === undefined || c.req.header("Transfer-Encoding") !== undefined) return streamed(c, next);
    return Number(declared) > limitBytes ? tooLarge(c) : next();
  });
};

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Bulk calls whose contract promises more than a usual body holds: 10,000 external ids of up to 128 characters,
 * 10,000 voucher codes of up to 200.
 */
const bulkPaths = /^\/v1\/(segments\/[^/]+\/members|rewards\/[^/]+\/codes)$/;

/** The limit of bulk calls (`bulkPaths`), unless the configured limit is larger. */
export const bulkBodyLimitBytes = 2_097_152;

/** Calls whose body is a CSV file (`text/csv`), not JSON: a catalogue import. */
const csvPaths = /^\/v1\/programs\/[^/]+\/rewards\/import$/;
const csvType = /^text\/csv\s*(?:;|$)/i;

/** The limit of CSV uploads (`csvPaths`): 5,000 catalogue rows of 2 KB each. */
export const csvBodyLimitBytes = 10_485_760;

/**
 * Bodies of API calls must be JSON (a declared non-JSON type answers 415; CSV uploads `text/csv`) and no larger
 * than the configured limit (bulk calls: `bulkBodyLimitBytes`, CSV uploads `csvBodyLimitBytes`). Requests
 * without a body (e.g. `POST /v1/partners/{id}/suspend`) pass; `/oauth/token` parses its own.
 */
export const jsonBody = (limitBytes: number) => {
  const limit = limitBody(limitBytes);
  const bulkLimit = limitBody(Math.max(limitBytes, bulkBodyLimitBytes));
  const csvLimit = limitBody(Math.max(limitBytes, csvBodyLimitBytes));
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!["POST", "PUT", "PATCH"].includes(c.req.method)) return next();
    const contentType = c.req.header("Content-Type");
    const csv = csvPaths.test(c.req.path);
    if (contentType !== undefined && !(csv ? csvType : jsonType).test(contentType))
      throw new ApiError(
        "unsupported_media_type",
        `Send the body as ${csv ? "text/csv" : "application/json"}, not ${contentType.split(";")[0]}.`,
      );
    return (csv ? csvLimit : bulkPaths.test(c.req.path) ? bulkLimit : limit)(c, next);
  });
};

/**
 * Lets `work` (which must not throw) finish after the response: kept alive by `waitUntil` on Workers; on Node,
 * where the process outlives the request, it simply runs on.
 */
export function afterResponse(c: Context<AppEnv>, work: Promise<void>): void {
  executionContextOf(c)?.waitUntil(work);
}

/**
 * The request's ExecutionContext on Workers; undefined on Node. Asking Hono for a missing one throws (an Error and
 * its stack on every write), so Node's adaptor, whose env carries the `incoming` message, is told apart first.
 */
function executionContextOf(c: Context<AppEnv>): { waitUntil(promise: Promise<unknown>): void } | undefined {
  const env = c.env as { incoming?: unknown } | undefined;
  if (env === undefined || env.incoming !== undefined) return undefined;
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/**
 * After a write that succeeded, kicks webhook delivery so the first attempt follows the commit at once,
 * without delaying the response: on Workers through `waitUntil`, on Node in the background.
 */
export const dispatchWebhooksAfterWrites = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.res.status >= 300) return;
  const { webhooks } = c.get("deps");
  const executionCtx = executionContextOf(c);
  // Node's process outlives the request: a kick is enough there.
  if (executionCtx) executionCtx.waitUntil(webhooks.deliver());
  else webhooks.kick();
});
