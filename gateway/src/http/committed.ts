import type { Context } from "hono";
import type { CommittedResponse } from "../domain/ledger/movement";

/**
 * Sends a response exactly as the atomic write stored it for idempotent replays: the same bytes now and
 * on every retry. Typed `never` so it satisfies the route's declared JSON response, which built the body.
 */
export const committedResponse = (c: Context, result: CommittedResponse): never =>
  c.body(result.body, result.status as 201, { "Content-Type": "application/json" }) as never;
