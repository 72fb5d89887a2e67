import type { ExecutionContext } from "@cloudflare/workers-types";
import { systemClock } from "./clock";
import { mainDatabase } from "./db/shards/router";
import type { Deps, Shards } from "./deps";
import { copyDirectoryToShards } from "./domain/directory-copy";
import { adoptShardDisablings } from "./domain/endpoint-disablings";
import { createIds } from "./ids";
import { mergedListAnswer } from "./merged-lists";
import { createServer, type Gateway } from "./server";
import { type Destination, destinationOf } from "./shard-destinations";

/** What the entries serve: one database's gateway, or the dispatcher over several. */
export type Served = Pick<Gateway, "fetch">;

/** Ids found on a database, remembered so the next request for them goes there first; cleared when this full. */
const rememberedIds = 50_000;
/** The largest body read to find its program: the largest any route takes (segment member lists). */
const largestBody = 2 * 1024 * 1024;

/**
 * The whole gateway over the databases of a sharded deployment (`all` from buildShardDeps, main first): each request
 * is answered by the gateway (createServer) of the database that holds what it names (./shard-destinations.ts), and a
 * successful directory write is copied to every shard before it is answered. A deployment with one database serves
 * createServer(deps) itself, never this.
 */
export function createShardedServer(all: ReadonlyMap<string, Deps>): Served {
  const gateways = new Map(
    [...all].filter(([name]) => name !== mainDatabase).map(([name, deps]) => [name, createServer(deps)]),
  );
  const { mainDeps, shards } = mainOf(all);
  const main = createServer(mainDeps);
  gateways.set(mainDatabase, main);
  const bodyLimit = Math.max(mainDeps.config.BODY_LIMIT_BYTES, largestBody);
  const found = new Map<string, string>();

  const gateway = (name: string) => gateways.get(name) ?? main;

  async function byProgram(programId: unknown): Promise<Gateway> {
    return typeof programId === "string" ? gateway(await shards.nameFor(programId)) : main;
  }

  /** Asks each database in turn, the one that knew the id last time first; a 404 there changed nothing. */
  async function anywhere(request: Request, body: ArrayBuffer, id: string | undefined, env: unknown, ctx: unknown) {
    const known = id === undefined ? undefined : found.get(id);
    const names = known ? [known, ...shards.names().filter((name) => name !== known)] : shards.names();
    let answer: Response | undefined;
    for (const name of names) {
      answer = await gateway(name).fetch(copyOf(request, body), env, ctx as ExecutionContext);
      if (answer.status === 404) continue;
      if (id !== undefined) {
        if (found.size >= rememberedIds) found.clear();
        found.set(id, name);
      }
      return answer;
    }
    return answer as Response;
  }

  async function dispatch(request: Request, destination: Destination, env: unknown, ctx: unknown) {
    const executionCtx = ctx as ExecutionContext;
    switch (destination.to) {
      case "directory": {
        // Else an edit of an endpoint would count as a change made after a shard's disabling of it not adopted yet.
        if (editsEndpoint(request)) await adoptShardDisablings(mainDeps);
        const answer = await main.fetch(request, env, executionCtx);
        if (copiesAfter(request, answer)) await copyDirectoryToShards(mainDeps).catch(logCopyFailure);
        return answer;
      }
      case "main":
        return main.fetch(request, env, executionCtx);
      case "program":
        return (await byProgram(destination.programId)).fetch(request, env, executionCtx);
      case "every": {
        const answers = shards
          .names()
          .map((name) => gateway(name).fetch(copyOf(request, new ArrayBuffer(0)), env, executionCtx));
        return mergedListAnswer(await Promise.all(answers), new URL(request.url));
      }
      default: {
        const body = await bufferedBody(request, bodyLimit);
        // Too large to read here: main refuses it as any gateway would.
        if (body === undefined) return main.fetch(request, env, executionCtx);
        if (destination.to === "id") return anywhere(request, body, destination.id, env, ctx);
        const target = await byProgram(jsonField(body, destination.field));
        return target.fetch(copyOf(request, body), env, executionCtx);
      }
    }
  }

  function logCopyFailure(error: unknown) {
    // The write is committed; the next directory write or scheduled run copies it.
    mainDeps.log("error", "directory copy to the shards failed", { error: String(error) });
  }

  return {
    async fetch(request: Request, env?: unknown, ctx?: unknown) {
      try {
        return await dispatch(request, destinationOf(request.method, new URL(request.url)), env, ctx);
      } catch (error) {
        // A program placed on a database that is not configured (the router's error): a 500 naming it, never main.
        mainDeps.log("error", "request not routed", { error: String(error) });
        return routingProblem(String((error as Error)?.message ?? error));
      }
    },
  };
}

function mainOf(all: ReadonlyMap<string, Deps>): { mainDeps: Deps; shards: Shards } {
  const mainDeps = all.get(mainDatabase);
  if (!mainDeps?.shards) throw new Error("a sharded server needs main and at least one shard");
  return { mainDeps, shards: mainDeps.shards };
}

/** A successful write on main other than a token: it may have changed what the shards copy. */
const copiesAfter = (request: Request, answer: Response) =>
  request.method !== "GET" &&
  request.method !== "HEAD" &&
  answer.status < 400 &&
  new URL(request.url).pathname !== "/oauth/token";

const editsEndpoint = (request: Request) =>
  request.method !== "GET" && new URL(request.url).pathname.startsWith("/v1/webhook-endpoints/");

const copyOf = (request: Request, body: ArrayBuffer) =>
  new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.method === "GET" || request.method === "HEAD" ? undefined : body,
  });

/** The request's body, or undefined when it is larger than `limit`; the request itself stays unread. */
async function bufferedBody(request: Request, limit: number): Promise<ArrayBuffer | undefined> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return undefined;
  const stream = request.body ? request.clone().body : null;
  if (!stream) return new ArrayBuffer(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > limit) {
      // Not awaited: a branch of a tee'd stream finishes cancelling only once the other branch (the request, which
      // main reads and refuses) is cancelled too, so awaiting it would leave the request unanswered.
      void reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(chunk.value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body.buffer;
}

/** A top-level field of a JSON object body; undefined for any other body (its gateway then says what is wrong). */
function jsonField(body: ArrayBuffer, field: string): unknown {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined;
  }
}

const problemIds = createIds(systemClock);

function routingProblem(detail: string): Response {
  const requestId = problemIds("req");
  const body = {
    type: "urn:coalition-gateway:problem:internal_error",
    title: "Internal server error",
    status: 500,
    detail: `The gateway cannot route this request: ${detail}.`,
    code: "internal_error",
    request_id: requestId,
  };
  return new Response(JSON.stringify(body), {
    status: 500,
    headers: { "content-type": "application/problem+json", "Request-Id": requestId },
  });
}
