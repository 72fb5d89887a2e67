import type { ResponseMeta } from "./response-meta.js";
import type { operations } from "./schema.js";

/**
 * The types behind the generated methods of `operations.ts`: what each operation takes and answers, read from
 * `operations` of the generated `schema.d.ts` by operationId.
 */

/** Every operation's id, as in the gateway's reference (`earnPoints`, `listMemberTransactions`, ...). */
export type OperationId = keyof operations;

/** Per-call options, beside the request's path parameters, query and body. */
export type CallOptions = {
  /** The call's `Idempotency-Key`. POSTs get a fresh one per call by default, reused on its retries. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Retries after the first attempt for this call (default: the client's). */
  maxRetries?: number;
  /** Time limit of each attempt of this call in ms (default: the client's). */
  timeoutMs?: number;
};

/**
 * The options of an operation that moves points (earn, burn, reverse, convert): it needs its
 * `Idempotency-Key` said. Derive it from your own business id (`order-88412`), so that a process that restarts
 * and sends the same operation again is answered with the first result instead of moving the points twice: a
 * key generated per call protects only its own retries. Where nothing durable identifies the operation, opt in
 * to a generated key with `generateIdempotencyKey: true`.
 */
export type IdempotentCallOptions = CallOptions &
  (
    | { idempotencyKey: string; generateIdempotencyKey?: never }
    | { generateIdempotencyKey: true; idempotencyKey?: never }
  );

/**
 * What every call returns: awaited, the success body; `withResponse()` resolves to the body with what the
 * answer said beside it (request id, whether it was an idempotent replay, rate-limit state, headers).
 */
export type ApiPromise<T> = Promise<T> & { withResponse(): Promise<{ data: T; meta: ResponseMeta }> };

/** The body an operation takes: JSON, or the text of a file (a CSV product list) where it takes text. */
export type Body<Id extends OperationId> =
  NonNullable<operations[Id]["requestBody"]> extends { content: infer Content }
    ? Content extends { "application/json": infer Json }
      ? Json
      : keyof Content extends `text/${string}`
        ? string
        : never
    : never;

/** The query parameters an operation takes. */
export type Query<Id extends OperationId> = NonNullable<operations[Id]["parameters"]["query"]>;

type SuccessStatus = 200 | 201 | 202;
type Decoded<Content> = Content extends { "application/json": infer Json }
  ? Json
  : keyof Content extends `text/${string}`
    ? string
    : ArrayBuffer;

/** What a successful call resolves to: the JSON body, the text of a text file, or the bytes of any other file. */
export type Result<Id extends OperationId> = {
  [Status in keyof operations[Id]["responses"]]: Status extends SuccessStatus
    ? operations[Id]["responses"][Status] extends { content: infer Content }
      ? Decoded<Content>
      : undefined
    : never;
}[keyof operations[Id]["responses"]];

/** A page of a list: `{ object: "list", data, has_more }`, newest first. */
export type ListPage = { data: { id: string }[]; has_more: boolean };

/** The operations that answer a page of a list and take a cursor. */
export type ListOperationId = {
  [Id in OperationId]: Result<Id> extends ListPage ? ("starting_after" extends keyof Query<Id> ? Id : never) : never;
}[OperationId];

/**
 * A list call. Awaited, it is the page asked for; iterated with `for await`, it yields every item of that page
 * and of the pages after it (`starting_after` the last id), fetched as the loop needs them.
 */
export type PagePromise<Page extends ListPage> = ApiPromise<Page> & AsyncIterable<Page["data"][number]>;

/** How an operation is sent: its method and path, whether it needs no token, and how its answer is read. */
export type OperationRoute = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  public?: true;
  /** The API requires `Idempotency-Key`: the method's options must give one or ask for a generated one. */
  idempotent?: true;
  parseAs?: "text" | "arrayBuffer";
  /** The body is text of this media type (a CSV file), sent as given instead of as JSON. */
  bodyType?: `text/${string}`;
};

/** A call's path parameters, query and body, already checked by the generated method's signature. */
export type OperationInput = { path?: Record<string, string>; query?: object; body?: unknown };

/** Sends one operation and resolves to its success body; anything else throws a `GatewayError`. */
export type CallOperation = <Id extends OperationId>(
  id: Id,
  input: OperationInput,
  options?: CallOptions & { generateIdempotencyKey?: boolean },
) => ApiPromise<Result<Id>>;

/** Sends a list operation as a {@link PagePromise}. */
export type ListOperation = <Id extends ListOperationId>(
  id: Id,
  input: OperationInput,
  options?: CallOptions,
) => PagePromise<Result<Id> & ListPage>;
