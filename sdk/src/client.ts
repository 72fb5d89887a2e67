import createFetchClient, { type FetchResponse, type MaybeOptionalInit } from "openapi-fetch";
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
import { apiPromise } from "./api-promise.js";
import { GatewayError } from "./errors.js";
import type {
  ApiPromise,
  CallOperation,
  CallOptions,
  IdempotentCallOptions,
  ListOperation,
  ListPage,
  OperationInput,
  OperationRoute,
  PagePromise,
} from "./operation-types.js";
import { type IdempotentPath, operationMethods, operationRoutes } from "./operations.js";
import { pagePromise } from "./pages.js";
import { type ResponseMeta, responseMeta } from "./response-meta.js";
import { defaultRetryPolicy, type RetryPolicy, withRetries } from "./retries.js";
import type { paths } from "./schema.js";
import { TokenSource } from "./tokens.js";
import { sdkVersion } from "./version.js";
import { verifyWebhook } from "./webhooks.js";

export type ClientOptions = {
  /** The gateway's root, e.g. `https://gateway.coalition.example` (without `/v1`: the methods add their paths). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Scopes to ask for (space-separated); default: every scope of the credential. */
  scope?: string;
  /** Retries after the first attempt for network errors, timeouts and answers that can succeed soon (default 3). */
  maxRetries?: number;
  /** Time limit of each attempt in ms (default 30,000). */
  timeoutMs?: number;
  /** Another `fetch` (tests, proxies); default: the global one. */
  fetch?: typeof fetch;
};

type Method = Exclude<HttpMethod, "options" | "head" | "trace">;
/** A path call's init: its params and body, and its options (a key said, on the paths that move points). */
type Init<P extends PathsWithMethod<paths, M>, M extends Method> = MaybeOptionalInit<paths[P], M> &
  (M extends "post" ? (P extends IdempotentPath ? IdempotentCallOptions : CallOptions) : CallOptions);
type Args<I> = RequiredKeysOf<I> extends never ? [init?: I] : [init: I];
type Data<P extends PathsWithMethod<paths, M>, M extends Method, I> = NonNullable<
  FetchResponse<paths[P][M] & Record<string | number, unknown>, I, `${string}/${string}`>["data"]
>;

/** A typed call: the path and its params/body as the OpenAPI document says; resolves to the success body. */
type Call<M extends Method> = <P extends PathsWithMethod<paths, M>, I extends Init<P, M>>(
  path: P,
  ...init: Args<I>
) => ApiPromise<Data<P, M, I>>;

/** Paths whose GET answers a list page. */
type ListPath = {
  [P in PathsWithMethod<paths, "get">]: Data<P, "get", undefined> extends ListPage ? P : never;
}[PathsWithMethod<paths, "get">];
type Page<P extends ListPath> = Data<P, "get", undefined> & ListPage;

/** What the untyped core sends: openapi-fetch's init and the call's options; `public` sends it without a token. */
type CallInit = Record<string, unknown> &
  CallOptions & { generateIdempotencyKey?: boolean; params?: { path?: object; query?: object }; public?: boolean };

const newIdempotencyKey = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const userAgent = `coalition-gateway-sdk/${sdkVersion}`;

/** "post /v1/transactions/earn"...: the routes whose API requires `Idempotency-Key`. */
const keyedRoutes = new Set(
  Object.values(operationRoutes as Record<string, OperationRoute>)
    .filter((route) => route.idempotent)
    .map((route) => `${route.method} ${route.path}`),
);

/** The types already ask for the key on the operations that move points; this is for JavaScript callers. */
function requireKey(what: string, options: { idempotencyKey?: string; generateIdempotencyKey?: boolean } = {}) {
  if (!options.idempotencyKey && !options.generateIdempotencyKey)
    throw new TypeError(
      `${what} moves points: pass { idempotencyKey } derived from your own id for it (or { generateIdempotencyKey: true }).`,
    );
}

/** The gateway's root URL without a trailing slash; a URL that is not absolute or ends in `/v1` is refused. */
function gatewayRoot(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(
      `baseUrl must be the gateway's absolute URL, e.g. "https://gateway.coalition.example"; got ${JSON.stringify(baseUrl)}.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TypeError(
      `baseUrl must start with https:// (or http:// for a local gateway), e.g. "https://gateway.coalition.example"; got ${JSON.stringify(baseUrl)}.`,
    );
  const root = baseUrl.replace(/\/+$/, "");
  if (/\/v1$/i.test(url.pathname.replace(/\/+$/, "")))
    throw new TypeError(
      `baseUrl must be the gateway's root without "/v1" (every method adds its own path, /v1/... included): use "${root.replace(/\/v1$/i, "")}".`,
    );
  return root;
}

/**
 * The coalition-gateway client. Every operation is a method, typed from the gateway's OpenAPI document
 * (`client.transactions.earn(body)`, `client.members.get(programId, externalId)`), over a path-string client
 * (`client.post("/v1/transactions/earn", { body })`) for anything else. Calls authenticate themselves (client
 * credentials, renewed before expiry and after a 401), send an `Idempotency-Key` with every POST (one per
 * call, reused on its retries, so a retry never has a second effect), retry what is safe to retry, and throw a
 * {@link GatewayError} for anything but a success.
 *
 * ```ts
 * const gateway = createClient({ baseUrl, clientId, clientSecret });
 * const earn = await gateway.transactions.earn({ program_id, external_id, points: 120, reference });
 * for await (const txn of gateway.members.listTransactions(programId, externalId)) …
 * ```
 */
export function createClient(options: ClientOptions): GatewayClient {
  const baseUrl = gatewayRoot(options.baseUrl);
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retry: RetryPolicy = {
    ...defaultRetryPolicy,
    ...(options.maxRetries !== undefined && { maxRetries: options.maxRetries }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  };
  const tokens = new TokenSource({
    baseUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope: options.scope,
    fetch: fetchImpl,
    retry,
    userAgent,
  });

  /** The one logical call: its key is fixed here, before any retry. Public operations go without a token. */
  async function send(
    request: Request,
    authenticate = true,
    policy = retry,
    signal: AbortSignal | undefined = undefined,
  ): Promise<Response> {
    const headers = new Headers(request.headers);
    headers.set("User-Agent", userAgent);
    if (request.method === "POST" && !headers.has("Idempotency-Key"))
      headers.set("Idempotency-Key", newIdempotencyKey());
    const body = request.body ? await request.arrayBuffer() : undefined;
    let refreshed = false;
    for (;;) {
      const token = authenticate ? await tokens.get({ policy, signal }) : undefined;
      if (token) headers.set("Authorization", `Bearer ${token}`);
      const response = await withRetries(
        policy,
        (signal) => fetchImpl(request.url, { method: request.method, headers, body, signal }),
        signal ?? request.signal,
      );
      // An expired or revoked token (or a rotated signing key): one new token, then the answer stands.
      if (token && response.status === 401 && !refreshed) {
        refreshed = true;
        tokens.invalidate(token);
        await response.body?.cancel().catch(() => {});
        continue;
      }
      return response;
    }
  }

  const api = createFetchClient<paths>({ baseUrl, fetch: (request) => send(request) });
  const request = api.request as unknown as (
    method: string,
    path: string,
    init: Record<string, unknown>,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

  /** The untyped core of every call: the success body and what its answer said, or a GatewayError. */
  async function perform(
    method: string,
    path: string,
    init: CallInit = {},
  ): Promise<{ data: unknown; meta: ResponseMeta }> {
    const { idempotencyKey, generateIdempotencyKey, signal, maxRetries, timeoutMs, public: isPublic, ...rest } = init;
    const headers = { ...(rest.headers as Record<string, string> | undefined) };
    // Fixed here, so the answer can say which key it was (a generated one included).
    const key = idempotencyKey ?? (method.toLowerCase() === "post" ? newIdempotencyKey() : undefined);
    if (key) headers["Idempotency-Key"] = key;
    const policy: RetryPolicy = {
      ...retry,
      ...(maxRetries !== undefined && { maxRetries }),
      ...(timeoutMs !== undefined && { timeoutMs }),
    };
    let answered: Response | undefined;
    let result: Awaited<ReturnType<typeof request>>;
    try {
      result = await request(method.toUpperCase(), path, {
        ...rest,
        headers,
        // The caller's signal goes to the retries, not into the Request openapi-fetch builds: a Request keeps a
        // listener on its signal until it is garbage-collected, which piles up on a signal shared by many calls.
        fetch: async (sent: Request) => {
          answered = await send(sent, !isPublic, policy, signal);
          return answered;
        },
      });
    } catch (error) {
      if (error instanceof GatewayError || !answered) throw error;
      // The answer came but its body was not what the operation sends (a proxy's page instead of JSON).
      throw GatewayError.unreadable(answered, error);
    }
    if (result.error !== undefined || !result.response.ok) throw GatewayError.fromBody(result.response, result.error);
    return { data: result.data, meta: responseMeta(result.response, key) };
  }

  /** Every page of a list from `init`'s query on, each after the last id of the one before. */
  const pages = (method: string, path: string, init: CallInit) =>
    pagePromise((startingAfter) => {
      const query = { ...init.params?.query, ...(startingAfter && { starting_after: startingAfter }) };
      return perform(method, path, { ...init, params: { ...init.params, query } }) as Promise<{
        data: ListPage;
        meta: ResponseMeta;
      }>;
    });

  const call =
    <M extends Method>(method: M): Call<M> =>
    (path, ...[init]) => {
      if (keyedRoutes.has(`${method} ${path}`)) requireKey(`POST ${path}`, init as CallInit | undefined);
      return apiPromise(perform(method, path, init as CallInit)) as never;
    };

  const list: ListCall = (path, ...[init]) => pages("get", path, (init ?? {}) as CallInit) as never;

  /** The generated methods' way in: an operationId's route, with the method's path parameters, query and body. */
  const operationInit = (
    route: OperationRoute,
    input: OperationInput,
    options?: CallOptions & { generateIdempotencyKey?: boolean },
  ): CallInit => ({
    ...options,
    params: { path: input.path, query: input.query },
    body: input.body,
    parseAs: route.parseAs,
    public: route.public,
    // A text body (a CSV file) goes as written, with its own media type.
    ...(route.bodyType && {
      bodySerializer: (body: unknown) => body,
      headers: { "Content-Type": `${route.bodyType}; charset=utf-8` },
    }),
  });
  const callOperation: CallOperation = (id, input, callOptions) => {
    const route: OperationRoute = operationRoutes[id];
    // The types already ask for it; this is for JavaScript callers.
    if (route.idempotent) requireKey(id, callOptions);
    return apiPromise(perform(route.method, route.path, operationInit(route, input, callOptions))) as never;
  };
  const listOperation: ListOperation = (id, input, callOptions) => {
    const route: OperationRoute = operationRoutes[id];
    return pages(route.method, route.path, operationInit(route, input, callOptions)) as never;
  };
  const operations = operationMethods(callOperation, listOperation);

  return {
    ...operations,
    webhooks: { ...operations.webhooks, verify: verifyWebhook },
    get: call("get"),
    post: call("post"),
    put: call("put"),
    patch: call("patch"),
    delete: call("delete"),
    list,
    raw: api,
  };
}

/** A list call over a path of the API: the page when awaited, every item when iterated. */
type ListCall = <P extends ListPath>(path: P, ...init: Args<Init<P, "get">>) => PagePromise<Page<P>>;

/** The client: a method per operation, grouped by resource, and the path-string client underneath. */
export type GatewayClient = ReturnType<typeof operationMethods> & {
  webhooks: { verify: typeof verifyWebhook };
  get: Call<"get">;
  post: Call<"post">;
  put: Call<"put">;
  patch: Call<"patch">;
  delete: Call<"delete">;
  /** Every item of a list, page after page (`starting_after` the last id), over a path of the API. */
  list: ListCall;
  /** The underlying openapi-fetch client (with this client's auth and retries), for `{ data, error }` style. */
  raw: ReturnType<typeof createFetchClient<paths>>;
};
