import { GatewayError } from "./errors.js";
import { abortedError, type RetryPolicy, withRetries } from "./retries.js";

type TokenSettings = {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  fetch: typeof fetch;
  retry: RetryPolicy;
  userAgent: string;
};

/** Renew this long before the gateway's `expires_in`, so a token never expires on the way. */
const renewBeforeMs = 60_000;

/**
 * OAuth 2.0 client credentials, kept and renewed: one token request at a time, however many calls wait for
 * it; renewed a minute before it expires, or at once when the gateway refuses it (`invalidate`).
 */
export class TokenSource {
  #token: { value: string; renewAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(private readonly settings: TokenSettings) {}

  /**
   * A valid access token. A call that must wait for one waits within its own limits: the token request it
   * starts follows its retry policy, and its signal stops its wait (not the request other calls may share).
   */
  async get(call: { policy?: RetryPolicy; signal?: AbortSignal | null } = {}): Promise<string> {
    if (this.#token && Date.now() < this.#token.renewAt) return this.#token.value;
    const { signal } = call;
    // Checked before a request starts: one started for no caller would fail unheard (an unhandled rejection).
    if (signal?.aborted) throw abortedError(signal);
    this.#pending ??= this.#request(call.policy ?? this.settings.retry).finally(() => {
      this.#pending = undefined;
    });
    if (!signal) return this.#pending;
    let stop = () => {};
    const aborted = new Promise<never>((_, reject) => {
      const listener = () => reject(abortedError(signal));
      signal.addEventListener("abort", listener, { once: true });
      stop = () => signal.removeEventListener("abort", listener);
    });
    return Promise.race([this.#pending, aborted]).finally(stop);
  }

  /** Forgets `token` (the gateway answered 401 to it), so the next `get` requests a new one. */
  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  async #request(policy: RetryPolicy): Promise<string> {
    const { baseUrl, clientId, clientSecret, scope } = this.settings;
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    if (scope) form.set("scope", scope);
    const basic = btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
    const response = await withRetries(policy, (signal) =>
      this.settings.fetch(`${baseUrl}/oauth/token`, {
        method: "POST",
        headers: {
          Authorization: `Basic ${basic}`,
          "Content-Type": "application/x-www-form-urlencoded",
          "User-Agent": this.settings.userAgent,
        },
        body: form.toString(),
        signal,
      }),
    );
    if (!response.ok) throw await GatewayError.fromResponse(response);
    const body = (await response.json().catch((error: unknown) => {
      throw GatewayError.unreadable(response, error);
    })) as { access_token: string; expires_in: number };
    this.#token = {
      value: body.access_token,
      renewAt: Date.now() + Math.max(0, body.expires_in * 1000 - renewBeforeMs),
    };
    return body.access_token;
  }
}
