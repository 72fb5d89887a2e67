import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { memberAccess } from "../../domain/access";
import { callerPartnerId, confirmStanding } from "../../http/auth";
import type { AppEnv } from "../../http/context";
import { ExternalId } from "../members/schemas";
import { type Channel, ChannelSchema } from "./schemas";

/**
 * What every earn and burn names: the program, the member, the partner's own reference and a description, and
 * optionally where it happened (channel and store), which reports group by.
 */
export const movementFields = {
  program_id: z.string().min(1).openapi({ example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
  external_id: ExternalId,
  reference: z.string().trim().min(1).max(255).openapi({ example: "order-88412", description: "Your reference" }),
  description: z.string().max(500).optional(),
  channel: ChannelSchema.optional(),
  store_id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .openapi({ example: "lisbon-042", description: "Your store's id, as your systems name it" }),
};

/** The channel and store of an earn or burn body, as the domain takes them. */
export const whereFields = (body: { channel?: Channel; store_id?: string }) => ({
  channel: body.channel ?? null,
  storeId: body.store_id ?? null,
});

/**
 * The calling partner and the member it moves points for, if it has an agreement in the program (else 404) that
 * allows the action, if one is named (else 403).
 */
export async function movementTarget(
  c: Context<AppEnv>,
  body: { program_id: string; external_id: string },
  action?: "earn" | "burn",
) {
  const deps = c.get("deps");
  const partnerId = callerPartnerId(c);
  const access = await memberAccess(
    deps.reader,
    body.program_id,
    body.external_id,
    partnerId,
    deps.clock.now(),
    action,
  );
  await confirmStanding(c, access.termsEpoch);
  return { partnerId, access };
}
