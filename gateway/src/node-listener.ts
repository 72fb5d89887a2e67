import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Deps } from "./deps";
import { rememberedCaller, requestPolicy } from "./http/auth";
import { problemAnswer } from "./http/errors";
import { logRequest } from "./http/middleware";
import { requestLimitOutcome } from "./http/rate-limit";
import { securityHeadersFor } from "./http/security-headers";
import { memberAnswer, route as memberRoute, readMember } from "./routes/members/get";
import { MemberPathParams } from "./routes/members/schemas";

type Fetch = Parameters<typeof getRequestListener>[0];

/**
 * The Node entry's request listener: every request goes to the app through @hono/node-server's adaptor, except the
 * hottest read, `GET /v1/programs/{program_id}/members/{external_id}`, which `memberReads` answers without Hono's
 * Web Request, Headers and Response objects (they cost more CPU than the read itself: issue 22's bench). `deps` is
 * the database's once it is open (undefined before, and with DATABASE_SHARDS, where the app routes between
 * databases).
 */
export function nodeListener(fetch: Fetch, deps: () => Deps | undefined): RequestListener {
  const viaApp = getRequestListener(fetch) as RequestListener;
  return (request, response) => {
    const served = deps();
    if (!served || !memberReads(served, request, response, viaApp)) viaApp(request, response);
  };
}

/** The member read's path, with only characters that need no decoding (anything else goes to the app). */
const memberPath = /^\/v1\/programs\/([A-Za-z0-9_]+)\/members\/([A-Za-z0-9._:@+-]+)$/;

/**
 * Answers a member read when all it needs is in memory (`rememberedCaller`: the verified token, the scope, the
 * credential's standing) and the request is plain (no query, no body, no sandbox clock), and returns true; else
 * returns false and does nothing. It then reads the member; the answer goes out only when that read succeeds and sees
 * the standing's terms epoch, and only then is the request counted against its limit: a 200, or the limit's 429. Any
 * other outcome (404, 403, a revoked credential, a database error) is handed to the app untouched, which does it all
 * again and answers as always: nothing was counted or written here. The answers are the app's to the byte, headers
 * and log line included (test/api/member-read-on-node.test.ts).
 */
function memberReads(deps: Deps, request: IncomingMessage, response: ServerResponse, viaApp: RequestListener) {
  if (request.method !== "GET" || deps.sandboxClock || !plainHeaders(request)) return false;
  const path = request.url ?? "";
  const match = memberPath.exec(path);
  // `.` and `..` are path segments the app's URL parser resolves, not ids.
  if (!match || match[2] === "." || match[2] === "..") return false;
  const params = MemberPathParams.safeParse({ program_id: match[1], external_id: match[2] });
  if (!params.success) return false;
  const caller = rememberedCaller(deps, request.headers.authorization, "members:read");
  if (!caller?.principal.partnerId) return false;
  const started = performance.now();
  const { program_id, external_id } = params.data;
  let counted = false;
  const answer = async () => {
    const access = await readMember(deps, program_id, external_id, caller.principal.partnerId as string);
    if (access.termsEpoch === null || access.termsEpoch !== caller.standing.epoch) return false;
    const body = JSON.stringify(await memberAnswer(deps, access));
    counted = true;
    const limit = await requestLimitOutcome(deps, requestPolicy(deps, caller.principal, caller.standing));
    const requestId = deps.ids("req");
    const headers: Record<string, string | number> = {};
    const add = (pairs: Iterable<readonly [string, string]>) => {
      for (const [name, value] of pairs) headers[name.toLowerCase()] = value;
    };
    add([["Request-Id", requestId]]);
    add(securityHeadersFor(path));
    add(limit.headers);
    const refused = limit.refusal && problemAnswer(limit.refusal, requestId);
    if (refused) add(Object.entries(refused.headers));
    else headers["content-type"] = "application/json";
    const text = refused ? refused.body : body;
    headers["content-length"] = Buffer.byteLength(text);
    const status = refused ? refused.status : 200;
    response.writeHead(status, headers);
    response.end(text);
    logRequest(deps, { requestId, method: "GET", route, path, status, started, principal: caller.principal });
    return true;
  };
  answer().then(
    (answered) => answered || viaApp(request, response),
    (error: unknown) => {
      // Before the request counted against its limit, the app may do it all again; after, it would count twice.
      if (!counted) return viaApp(request, response);
      deps.log("error", "member read failed after it was counted", { error: String(error) });
      if (!response.writableEnded) response.destroy();
    },
  );
  return true;
}

/** The route as the app's log line names it (Hono's route path). */
const route = memberRoute.path.replace(/\{(\w+)\}/g, ":$1");

/**
 * Headers the app would read as they are: no body, one `Authorization` (Hono would join two, and refuse them), and a
 * plain `Host` (@hono/node-server refuses a malformed or missing one with 400).
 */
const plainHeaders = (request: IncomingMessage) =>
  request.headers["transfer-encoding"] === undefined &&
  (request.headers["content-length"] === undefined || request.headers["content-length"] === "0") &&
  request.headersDistinct.authorization?.length === 1 &&
  plainHost.test(request.headers.host ?? "");

const plainHost = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
