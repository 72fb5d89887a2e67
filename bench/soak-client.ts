/** A client credential of the gateway (a partner's, or the operator's). */
export type Credentials = { clientId: string; secret: string };

/** What the gateway answered a request, after however many tries it took to get an answer at all. */
export type Answer = { status: number; text: string; replayed: boolean; tries: number };

/** Counters every client shares: what it took to get answers while the gateway was being killed. */
export const traffic = {
  /** Requests under way right now (read by the killer at each kill). */
  inFlight: 0,
  /** Tries that got no answer: a connection refused or reset, or no answer in time. */
  unanswered: 0,
  /** 409 `idempotency_in_flight`: the key's first request was still running (tried again). */
  keyInFlight: 0,
  /** 429 `rate_limited` (tried again after its Retry-After). */
  rateLimited: 0,
  tokens: 0,
};

/** Longer than any request takes while the gateway is up: a request gets no answer only when its process dies. */
const answerTimeoutMs = 60_000;
const pauseMs = 200;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client of one credential against the gateway at `url`, which may be killed and restarted under it. `send` tries a
 * request until the gateway answers it: with the same Idempotency-Key and the same body each time, as a partner's
 * integration should. An expired or lost token (401) is replaced and the request sent again.
 */
export function soakClient(url: string, credentials: Credentials) {
  const freshToken = async (): Promise<string> => {
    for (;;) {
      try {
        const response = await fetch(`${url}/oauth/token`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: credentials.clientId,
            client_secret: credentials.secret,
          }),
          signal: AbortSignal.timeout(answerTimeoutMs),
        });
        if (response.status === 200) {
          const { access_token } = (await response.json()) as { access_token: string };
          traffic.tokens += 1;
          return access_token;
        }
        await response.body?.cancel();
      } catch {
        // The gateway is down: it is being restarted.
      }
      await pause(pauseMs);
    }
  };

  // One token request at a time: the clients of a credential share it, and the first to find it stale replaces it.
  let token: Promise<string> | undefined;
  let latest: string | undefined;
  const currentToken = () => {
    token ??= freshToken().then((fresh) => {
      latest = fresh;
      return fresh;
    });
    return token;
  };
  const dropToken = (stale: string) => {
    if (latest !== stale) return;
    latest = undefined;
    token = undefined;
  };

  async function send(method: string, path: string, body?: unknown, key?: string): Promise<Answer> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    for (let tries = 1; ; tries++) {
      const bearer = await currentToken();
      const headers: Record<string, string> = { Authorization: `Bearer ${bearer}` };
      if (text !== undefined) headers["Content-Type"] = "application/json";
      if (key !== undefined) headers["Idempotency-Key"] = key;
      traffic.inFlight += 1;
      let response: Response | undefined;
      let answer = "";
      try {
        response = await fetch(`${url}${path}`, {
          method,
          headers,
          body: text,
          signal: AbortSignal.timeout(answerTimeoutMs),
        });
        answer = await response.text();
      } catch {
        response = undefined;
      } finally {
        traffic.inFlight -= 1;
      }
      if (!response) {
        traffic.unanswered += 1;
        await pause(pauseMs);
        continue;
      }
      if (response.status === 401) {
        dropToken(bearer);
        continue;
      }
      if (response.status === 429) {
        traffic.rateLimited += 1;
        await pause(1000 * Number(response.headers.get("Retry-After") ?? 1));
        continue;
      }
      if (response.status === 409 && answer.includes('"idempotency_in_flight"')) {
        traffic.keyInFlight += 1;
        await pause(pauseMs);
        continue;
      }
      return {
        status: response.status,
        text: answer,
        replayed: response.headers.get("Idempotent-Replayed") === "true",
        tries,
      };
    }
  }

  /** `send` for set-up: anything but a 2xx stops the soak. */
  async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, key?: string) {
    const answer = await send(method, path, body, key);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return JSON.parse(answer.text) as T;
  }

  return { send, call };
}

export type SoakClient = ReturnType<typeof soakClient>;
