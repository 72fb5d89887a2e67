import type { Answer, Credential, Target } from "./target";

export type CallOptions = {
  /** Signs the request in as this credential, with a token this client keeps until the clock moves on. */
  as?: Credential;
  /** A bearer token to send as it is (a narrowed, forged or expired one). */
  token?: string;
  /** JSON, sent with Content-Type application/json; a string is sent as it is (malformed JSON, say). */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
};

export type Gateway = ReturnType<typeof connect>;

/** Tokens live 15 minutes at most (ACCESS_TOKEN_TTL_SECONDS); a kept one is renewed well before. */
const TOKEN_REUSE_MS = 5 * 60_000;

/**
 * A client of the target's HTTP API, the same on every runtime: `call` builds the request, `as` signs it in.
 * Tokens are kept per credential and scope and renewed once the target's clock has moved five minutes (or
 * back), so scenarios may move the clock by days without signing in again by hand.
 */
export function connect(target: Target) {
  const kept = new Map<string, { token: string; at: number }>();

  async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const token = options.token ?? (options.as && (await tokenFor(options.as)));
    return target.send(toRequest(method, path, { ...options, token }));
  }

  /** An access token for `credential` from `POST /oauth/token`, narrowed to `scope` when given. */
  async function tokenFor(credential: Credential, scope?: string): Promise<string> {
    const key = `${credential.clientId} ${scope ?? ""}`;
    const now = target.clock.now().getTime();
    const known = kept.get(key);
    if (known && now >= known.at && now - known.at < TOKEN_REUSE_MS) return known.token;
    const answer = await call("POST", "/oauth/token", {
      form: {
        grant_type: "client_credentials",
        client_id: credential.clientId,
        client_secret: credential.secret,
        ...(scope ? { scope } : {}),
      },
    });
    const body = answer.body as { access_token?: string } | undefined;
    if (answer.status !== 200 || !body?.access_token)
      throw new Error(`token request failed: ${answer.status} ${answer.text}`);
    kept.set(key, { token: body.access_token, at: now });
    return body.access_token;
  }

  return {
    runtime: target.runtime,
    operator: target.operator,
    clock: target.clock,
    rows: target.rows,
    settle: target.settle,
    runJobs: target.runJobs,
    receiver: target.receiver,
    call,
    token: tokenFor,
  };
}

/** The request `call` sends: the token as a bearer, `body` as JSON (a string as it is), `form` as a form. */
export function toRequest(method: string, path: string, options: Omit<CallOptions, "as"> = {}): Request {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  } else if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return new Request(`https://gateway.test${path}`, { method, headers, body });
}
