import createFetchClient, { type FetchResponse, type MaybeOptionalInit } from "openapi-fetch";
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
import { GatewayError } from "./errors.js";
import { defaultRetryPolicy, type RetryPolicy, withRetries } from "./retries.js";
import type { paths } from "./schema.js";
import { TokenSource } from "./tokens.js";
import { verifyWebhook } from "./webhooks.js";

export type ClientOptions = {
  /** The gateway, e.g. `https://gateway.coalition.example` (no trailing `/v1`). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Scopes to ask for (space-separated); default: every scope of the credential. */
  scope?: string;
  /** Retries after the first attempt for network errors, timeouts, 429 and 5xx (default 3). */
  maxRetries?: number;
  /** Time limit of each attempt in ms (default 30,000). */
  timeoutMs?: number;
  /** Another `fetch` (tests, proxies); default: the global one. */
  fetch?: typeof fetch;
};

/** Per-call options, beside the request's `params` and `body`. */
export type CallOptions = {
  /** The call's `Idempotency-Key`. POSTs get a fresh one per call by default, reused on its retries. */
  idempotencyKey?: string;
  signal?: AbortSignal;
};

type Method = Exclude<HttpMethod, "options" | "head" | "trace">;
type Init<P extends PathsWithMethod<paths, M>, M extends Method> = MaybeOptionalInit<paths[P], M> & CallOptions;
type Args<I> = RequiredKeysOf<I> extends never ? [init?: I] : [init: I];
type Data<P extends PathsWithMethod<paths, M>, M extends Method, I> = NonNullable<
  FetchResponse<paths[P][M] & Record<string | number, unknown>, I, `${string}/${string}`>["data"]
>;

/** A typed call: the path and its params/body as the OpenAPI document says; resolves to the success body. */
type Call<M extends Method> = <P extends PathsWithMethod<paths, M>, I extends Init<P, M>>(
  path: P,
  ...init: Args<I>
) => Promise<Data<P, M, I>>;

/** Paths whose GET answers a list page. */
type ListPath = {
  [P in PathsWithMethod<paths, "get">]: Data<P, "get", undefined> extends { data: unknown[]; has_more: boolean }
    ? P
    : never;
}[PathsWithMethod<paths, "get">];
type ListItem<P extends ListPath> = Data<P, "get", undefined> extends { data: (infer T)[] } ? T : never;

const newIdempotencyKey = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * The coalition-gateway client. Every call is typed from the gateway's OpenAPI document, authenticates itself
 * (client credentials, renewed before expiry and after a 401), sends an `Idempotency-Key` with every POST
 * (one per call, reused on its retries, so a retry never has a second effect), retries what is safe to
 * retry, and throws a {@link GatewayError} for anything but a success.
 *
 * ```ts
 * const gateway = createClient({ baseUrl, clientId, clientSecret });
 * const earn = await gateway.post("/v1/transactions/earn", { body: { program_id, external_id, points: 120, reference } });
 * for await (const txn of gateway.list("/v1/programs/{program_id}/members/{external_id}/transactions", { params })) …
 * ```
 */
export function createClient(options: ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
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
  });

  /** The one logical call: its key is fixed here, before any retry. */
  async function send(request: Request): Promise<Response> {
    const headers = new Headers(request.headers);
    if (request.method === "POST" && !headers.has("Idempotency-Key"))
      headers.set("Idempotency-Key", newIdempotencyKey());
    const body = request.body ? await request.arrayBuffer() : undefined;
    let refreshed = false;
    for (;;) {
      const token = await tokens.get();
      headers.set("Authorization", `Bearer ${token}`);
      const response = await withRetries(
        retry,
        (signal) => fetchImpl(request.url, { method: request.method, headers, body, signal }),
        request.signal,
      );
      // An expired or revoked token (or a rotated signing key): one new token, then the answer stands.
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        tokens.invalidate(token);
        await response.body?.cancel().catch(() => {});
        continue;
      }
      return response;
    }
  }

  const api = createFetchClient<paths>({ baseUrl, fetch: send });

  const call =
    <M extends Method>(method: M): Call<M> =>
    async (path, ...[init]) => {
      const { idempotencyKey, signal, ...rest } = (init ?? {}) as CallOptions & Record<string, unknown>;
      const headers = { ...(rest.headers as Record<string, string> | undefined) };
      if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
      const request = api.request as unknown as (
        method: string,
        path: string,
        init: Record<string, unknown>,
      ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
      const result = await request(method.toUpperCase(), path, { ...rest, headers, signal });
      if (result.error !== undefined || !result.response.ok) throw GatewayError.fromBody(result.response, result.error);
      return result.data as never;
    };

  const get = call("get");

  /** Every item of a list, page after page (`starting_after` the last id), as an async iterator. */
  async function* list<P extends ListPath>(
    path: P,
    ...[init]: Args<Init<P, "get">>
  ): AsyncGenerator<ListItem<P>, void, undefined> {
    const base = (init ?? {}) as { params?: { query?: Record<string, unknown> } } & Record<string, unknown>;
    let startingAfter: string | undefined;
    for (;;) {
      const query = { ...base.params?.query, ...(startingAfter && { starting_after: startingAfter }) };
      const page = (await (get as (p: string, i: unknown) => Promise<{ data: { id: string }[]; has_more: boolean }>)(
        path,
        { ...base, params: { ...base.params, query } },
      )) as { data: (ListItem<P> & { id: string })[]; has_more: boolean };
      for (const item of page.data) yield item as Awaited<ListItem<P>>;
      const last = page.data.at(-1);
      if (!page.has_more || !last) return;
      startingAfter = last.id;
    }
  }

  return {
    get,
    post: call("post"),
    put: call("put"),
    patch: call("patch"),
    delete: call("delete"),
    list,
    webhooks: { verify: verifyWebhook },
    /** The underlying openapi-fetch client (with this client's auth and retries), for `{ data, error }` style. */
    raw: api,
  };
}

export type GatewayClient = ReturnType<typeof createClient>;
