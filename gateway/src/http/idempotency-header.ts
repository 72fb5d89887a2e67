import { z } from "@hono/zod-openapi";

const key = z
  .string()
  .min(1)
  .max(255)
  .openapi({
    description:
      "Makes the request safe to retry: the same key and body replay the first response (with `Idempotent-Replayed: true`), " +
      "another body answers 422. Scoped to your partner, kept at least 24 h.",
    example: "9b4f7c1e-2d3a-4b5c-8e6f-0a1b2c3d4e5f",
  });

/** Documents `Idempotency-Key` (header names are case-insensitive; Hono validates them lower-cased). */
export const RequiredIdempotencyHeader = z.object({ "idempotency-key": key });
export const OptionalIdempotencyHeader = z.object({ "idempotency-key": key.optional() });
