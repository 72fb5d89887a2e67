import { OpenAPIHono } from "@hono/zod-openapi";
import type { Principal } from "../auth/tokens";
import type { Deps } from "../deps";
import { defaultHook } from "./errors";

/** The typed Hono environment every route and middleware shares. */
export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    principal?: Principal;
  };
};

/** A sub-app for one resource, with the shared validation hook. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook });
