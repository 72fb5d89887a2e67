import { z } from "@hono/zod-openapi";
import type { PortalUser } from "../../../domain/portal-users";

export const PortalUserSchema = z
  .object({
    id: z.string().openapi({ example: "usr_01jdz3k7q8m2x9v4b6n0c5t1wa" }),
    partner_id: z.string(),
    email: z.string(),
    role: z.enum(["admin", "finance", "viewer"]),
    has_password: z.boolean(),
    created_at: z.iso.datetime(),
  })
  .openapi("PortalUser");

export const toPortalUser = (user: PortalUser) =>
  PortalUserSchema.parse({
    id: user.id,
    partner_id: user.partnerId,
    email: user.email,
    role: user.role,
    has_password: user.passwordHash !== null,
    created_at: user.createdAt.toISOString(),
  });
