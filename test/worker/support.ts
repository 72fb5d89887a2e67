import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { createWorker, WorkerEnv } from "../../gateway/src/worker";
import { toRequest } from "../scenarios/gateway";
import { read as readAnswer, type Answer as ScenarioAnswer } from "../scenarios/target";

/** The operator credential the worker project sets as bindings (vitest.config.mts). */
export const operator = { clientId: String(env.OPERATOR_CLIENT_ID), secret: String(env.OPERATOR_CLIENT_SECRET) };

/** An answer (test/scenarios/target.ts) whose JSON body these tests read as they like. */
export type Answer = Omit<ScenarioAnswer, "body"> & { body: any };

/**
 * Sends a request through the Worker's own fetch handler inside workerd, as the edge would, and reads the
 * answer once. `body` is sent as JSON, `form` as application/x-www-form-urlencoded.
 */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  return read(await exports.default.fetch(toRequest(method, path, options)));
}

export type CallOptions = Omit<import("../scenarios/gateway").CallOptions, "as">;

/**
 * `call`, but through another Worker instance (what one isolate holds) started with these bindings, such
 * as `{ ...env, SANDBOX: "true" }`: it shares the D1 database and the signing keys kept there.
 */
export function callThrough(worker: ReturnType<typeof createWorker>, bindings: WorkerEnv): typeof call {
  return async (method, path, options = {}) => {
    const ctx = createExecutionContext();
    const answer = await read(await worker.fetch(toRequest(method, path, options), bindings, ctx));
    await waitOnExecutionContext(ctx);
    return answer;
  };
}

/** Status, headers, the bytes, and the body both as text and (when it parses) as JSON. */
export const read = (response: Response): Promise<Answer> => readAnswer(response);

/** An access token for a client credential, from `POST /oauth/token`. */
export async function tokenFor(clientId: string, secret: string): Promise<string> {
  const answer = await call("POST", "/oauth/token", {
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: secret },
  });
  if (answer.status !== 200) throw new Error(`token request failed: ${answer.status} ${answer.text}`);
  return answer.body.access_token;
}

/** The Worker's D1 binding, for reading what the gateway wrote. */
export function d1(): import("@cloudflare/workers-types").D1Database {
  const binding = env.DB;
  if (!binding) throw new Error("no D1 binding DB in the worker test environment");
  return binding;
}

export { newKey, unique } from "../scenarios/fixtures";

// ---- A D1 database that stops answering, as when the connection to it is lost.

/**
 * `db`, but after its first `answered` batches every batch and statement fails as D1 does when the
 * connection is lost. The statements of those first batches reach the real database.
 */
export function losesConnection(
  db: import("@cloudflare/workers-types").D1Database,
  answered = 0,
): import("@cloudflare/workers-types").D1Database {
  let batches = 0;
  const lost = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
  const lostStatement = { bind: () => lostStatement, all: lost, raw: lost, run: lost, first: lost };
  return new Proxy(db, {
    get(target, property) {
      if (property === "batch")
        return (statements: Parameters<typeof target.batch>[0]) =>
          batches++ < answered ? target.batch(statements) : lost();
      if (property === "prepare")
        return (query: string) => (batches < answered ? target.prepare(query) : lostStatement);
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
