import type { NotFoundHandler } from "hono";
import { PatternRouter } from "hono/router/pattern-router";
import { ApiError } from "../errors";
import type { AppEnv } from "./context";
import { problem } from "./errors";

/**
 * The fallback for a request no route took: 405 `method_not_allowed` with `Allow` when the path exists under
 * other methods (`PUT /oauth/token`), else 404 `not_found`. Built once from the mounted routes; it runs only
 * on misses, so a linear scan of the patterns costs nothing on the hot path.
 */
export function routeMiss(routes: readonly { method: string; path: string }[]): NotFoundHandler<AppEnv> {
  const router = new PatternRouter<string>();
  const methods = new Set<string>();
  for (const { method, path } of routes) {
    if (method === "ALL") continue; // middleware, not an operation
    router.add(method, path, method);
    methods.add(method);
  }
  return (c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = [...methods].filter((method) => router.match(method, path)[0].length > 0);
    if (allowed.includes("GET")) allowed.push("HEAD");
    if (allowed.length === 0) return problem(c, new ApiError("not_found", `No route for ${c.req.method} ${path}.`));
    const allow = allowed.sort().join(", ");
    return problem(
      c,
      new ApiError("method_not_allowed", `${c.req.method} is not allowed on ${path}; it takes ${allow}.`, {
        headers: { Allow: allow },
      }),
    );
  };
}
