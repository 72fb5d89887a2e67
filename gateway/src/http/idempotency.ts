import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { sha256Hex } from "../auth/secrets";
import { findIdempotencyKey, type StoredResponse, saveIdempotencyKey } from "../db/queries/idempotency";
import type { IdempotencyRecord } from "../domain/ledger/movement";
import { ApiError, IdempotencyKeyTaken } from "../errors";
import type { AppEnv } from "./context";

declare module "hono" {
  interface ContextVariableMap {
    idempotency?: IdempotencyRecord;
  }
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** Stable JSON (sorted keys), so the same body hashes the same whatever the client's key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

async function requestHash(c: Context<AppEnv>): Promise<string> {
  const text = await c.req.text();
  let body = text;
  try {
    body = canonical(JSON.parse(text));
  } catch {}
  return sha256Hex(`${c.req.method} ${c.req.path}\n${body}`);
}

const replay = (c: Context<AppEnv>, stored: StoredResponse) =>
  c.newResponse(stored.responseBody, stored.statusCode as 200, {
    "Content-Type": "application/json",
    "Idempotent-Replayed": "true",
  });

/**
 * `Idempotency-Key` handling, after authentication. A stored key with the same request replays the first
 * status and body byte for byte; with another request it is 422; while the first is still running in this
 * process, 409. `atomic` routes pass the record to their domain write (`c.get("idempotency")`) so the key is
 * committed with the movement itself; other POSTs store their 2xx response right after.
 * Only successful responses are stored: a refused request changed nothing, so retrying it is safe.
 */
export const idempotency = (options: {
  required: boolean;
  atomic: boolean;
  /** Removes secrets from what is stored: a replay then shows them as null (they are shown only once). */
  redact?: (body: Record<string, unknown>) => Record<string, unknown>;
}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header("Idempotency-Key");
    if (key === undefined) {
      if (options.required)
        throw new ApiError("validation_failed", "This request moves points: send an Idempotency-Key header.", {
          errors: [{ path: "Idempotency-Key", message: "is required" }],
        });
      return next();
    }
    if (!keyPattern.test(key))
      throw new ApiError("validation_failed", "The Idempotency-Key header must be 1 to 255 visible ASCII characters.", {
        errors: [{ path: "Idempotency-Key", message: "must be 1..255 visible ASCII characters" }],
      });
    const deps = c.get("deps");
    const partnerId = c.get("principal")?.partnerId ?? "operator";
    const record: IdempotencyRecord = { partnerId, key, requestHash: await requestHash(c) };

    const stored = async () => {
      const row = await findIdempotencyKey(deps.reader, partnerId, key);
      if (row && row.requestHash !== record.requestHash)
        throw new ApiError(
          "idempotency_key_reused",
          "This Idempotency-Key was already used with a different request; use a new key for a new request.",
        );
      return row;
    };
    const earlier = await stored();
    if (earlier) return replay(c, earlier);

    const inFlight = `${partnerId}\n${key}`;
    if (deps.inFlight.has(inFlight))
      throw new ApiError(
        "idempotency_in_flight",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        {
          headers: { "Retry-After": "1" },
        },
      );
    deps.inFlight.add(inFlight);
    try {
      if (options.atomic) c.set("idempotency", record);
      await next();
      if (c.error instanceof IdempotencyKeyTaken) {
        // Another process or isolate committed this key first: answer as a retry would.
        const winner = await stored();
        if (winner) c.res = replay(c, winner);
        return;
      }
      if (!options.atomic && c.res.status >= 200 && c.res.status < 300) {
        const text = await c.res.clone().text();
        const body = options.redact ? JSON.stringify(options.redact(JSON.parse(text))) : text;
        await saveIdempotencyKey(deps.db, {
          ...record,
          statusCode: c.res.status,
          responseBody: body,
          createdAt: deps.clock.now(),
        });
      }
    } finally {
      deps.inFlight.delete(inFlight);
    }
  });
