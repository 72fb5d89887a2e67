import { createRoute, z } from "@hono/zod-openapi";
import { createPortalUser } from "../../../domain/portal-users";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import { idempotency } from "../../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { PartnerIdParam } from "../schemas";
import { PortalUserSchema, toPortalUser } from "./schemas";

const CreatePortalUserBody = z
  .object({
    email: z.email().max(254).openapi({ example: "finance@skyways.example" }),
    role: z.enum(["admin", "finance", "viewer"]),
    password: z
      .string()
      .min(12, "must be at least 12 characters")
      .max(200)
      .optional()
      .openapi({ description: "Leave out to get a one-time set-password link instead" }),
  })
  .strict()
  .openapi("CreatePortalUser");

const CreatedPortalUserSchema = PortalUserSchema.extend({
  set_password_url: z.string().nullable().openapi({
    description: "One-time link (72 h) when no password was given; null when an Idempotency-Key replays it",
  }),
  set_password_expires_at: z.iso.datetime().nullable(),
}).openapi("CreatedPortalUser");

export const route = createRoute({
  method: "post",
  path: "/v1/partners/{id}/users",
  operationId: "createPortalUser",
  tags: ["Partners"],
  summary: "Add a portal user",
  description: "A person of the partner who signs in to the partner portal, with the role admin, finance or viewer.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [
    requireScope("operator"),
    idempotency({
      required: false,
      atomic: false,
      redact: (body) => ({ ...body, set_password_url: null }),
    }),
  ] as const,
  request: {
    params: PartnerIdParam,
    body: { required: true, content: { "application/json": { schema: CreatePortalUserBody } } },
  },
  responses: {
    201: { description: "The portal user", content: { "application/json": { schema: CreatedPortalUserSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

export type CreatePortalUserRequest = OperationRequest<typeof route>;
export type CreatePortalUserResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { user, setPasswordToken } = await createPortalUser(deps, c.req.valid("param").id, c.req.valid("json"));
    return c.json(
      CreatedPortalUserSchema.parse({
        ...toPortalUser(user),
        set_password_url: setPasswordToken
          ? new URL(`/portal/set-password?token=${setPasswordToken}`, deps.config.PUBLIC_URL).toString()
          : null,
        set_password_expires_at: user.setPasswordExpiresAt?.toISOString() ?? null,
      }),
      201,
    );
  });
