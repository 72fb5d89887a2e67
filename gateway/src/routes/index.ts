import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../http/context";
import { createRouter } from "../http/context";
import * as createPartner from "./partners/create";

/** Mounts every resource's operations and the OpenAPI document. */
export function registerRoutes(app: OpenAPIHono<AppEnv>) {
  const partners = createRouter();
  for (const operation of [createPartner]) operation.register(partners);
  app.route("/", partners);
}
