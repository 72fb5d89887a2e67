import type { RouteConfig, z } from "@hono/zod-openapi";
import { expect } from "vitest";
import type { ErrorCode } from "../../gateway/src/errors";
import { ProblemSchema } from "../../gateway/src/http/errors";
import type { Answer } from "./target";

/** The zod schema a route documents for the JSON body of one of its statuses. */
type JsonSchemaOf<R extends RouteConfig, S extends keyof R["responses"]> = R["responses"][S] extends {
  content: { "application/json": { schema: infer Schema extends z.ZodType } };
}
  ? Schema
  : never;

/**
 * Checks that `answer` has `status` and a JSON body that is exactly what `route` documents for it (parsed by
 * the route's own zod schema, with no field the schema does not have), and returns that body typed. A scenario
 * that reads a field the schema lacks does not compile; one the gateway does not send fails here.
 */
export function expectBody<R extends RouteConfig, S extends keyof R["responses"] & number>(
  answer: Answer,
  route: R,
  status: S,
): z.output<JsonSchemaOf<R, S>> {
  const operation = `${route.method.toUpperCase()} ${route.path}`;
  expect(answer.status, `${operation}: ${answer.text}`).toBe(status);
  expect(answer.headers.get("content-type"), operation).toMatch(/^application\/json/);
  const documented = route.responses[status] as { content?: Record<string, { schema?: z.ZodType }> } | undefined;
  const schema = documented?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${operation} documents no JSON body for ${status}`);
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success)
    throw new Error(`${operation} answered ${status} against its schema: ${JSON.stringify(parsed.error.issues)}`);
  expect(parsed.data, `${operation}: only documented fields`).toEqual(answer.body);
  return parsed.data as z.output<JsonSchemaOf<R, S>>;
}

export type Problem = z.output<typeof ProblemSchema>;

/**
 * Checks that `answer` is the problem+json of `status` and `code`, with the request id of its header; `what`
 * names the request in a failure.
 */
export function expectProblem(answer: Answer, status: number, code: ErrorCode, what = ""): Problem {
  expect(answer.status, `${what} ${answer.text}`).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const problem = ProblemSchema.parse(answer.body);
  expect(problem).toMatchObject({ status, code, request_id: answer.headers.get("Request-Id") });
  return problem;
}

/** The problem `code` of an answer, if it is one. */
const codeOf = (answer: Answer): string | undefined =>
  typeof answer.body === "object" && answer.body !== null && "code" in answer.body
    ? String(answer.body.code)
    : undefined;

/** Statuses and codes of a set of answers, tallied: `{ "201": 20, "409 insufficient_points": 30 }`. */
export function tally(answers: Answer[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const answer of answers) {
    const label =
      answer.status >= 400
        ? `${answer.status} ${codeOf(answer)}`
        : `${answer.status}${answer.headers.get("Idempotent-Replayed") === "true" ? " replayed" : ""}`;
    result[label] = (result[label] ?? 0) + 1;
  }
  return result;
}
