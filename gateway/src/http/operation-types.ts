import type { RouteConfig, z } from "@hono/zod-openapi";

/**
 * The request and response types of an operation, read from its `createRoute` definition, so each route module
 * can export them in one line each (`export type EarnPointsResponse = OperationResponse<typeof route>`) and they
 * cannot drift from the schemas that validate and document the operation.
 */

/** The schema of a request body or response, whatever its media type. */
type SchemaOf<Content> = Content extends Record<string, { schema: infer Schema extends z.ZodType }> ? Schema : never;

/** An operation without that part: intersecting with it changes nothing. */
type None = Record<never, never>;
type Parts<R extends RouteConfig> = NonNullable<R["request"]>;
type Params<R extends RouteConfig> =
  Parts<R> extends { params: infer P extends z.ZodType } ? { params: z.input<P> } : None;
type Query<R extends RouteConfig> =
  Parts<R> extends { query: infer Q extends z.ZodType } ? { query: z.input<Q> } : None;
type Body<R extends RouteConfig> =
  Parts<R> extends { body: { content: infer C; required: true } }
    ? { body: z.input<SchemaOf<C>> }
    : Parts<R> extends { body: { content: infer C } }
      ? { body?: z.input<SchemaOf<C>> }
      : None;

/** What a caller sends: the path parameters, query and body the operation accepts (as its schemas take them). */
export type OperationRequest<R extends RouteConfig> = Params<R> & Query<R> & Body<R>;

type SuccessStatus = 200 | 201 | 202;

/** The body of the operation's successful answers (a union when 201 and 202 differ). */
export type OperationResponse<R extends RouteConfig> = {
  [Status in keyof R["responses"]]: Status extends SuccessStatus
    ? R["responses"][Status] extends { content: infer C }
      ? z.output<SchemaOf<C>>
      : never
    : never;
}[keyof R["responses"]];
