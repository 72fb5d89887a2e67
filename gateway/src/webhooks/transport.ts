import { refuseTarget } from "./targets";

/** One POST of a webhook, as a transport sends it. */
export type WebhookRequest = { url: string; headers: Record<string, string>; body: string; timeoutMs: number };

/** What the receiver answered: its status and the start of its body. */
export type WebhookResponse = { status: number; excerpt: string };

/**
 * Sends one webhook. Throws on a network error, a timeout, or a target refused by the SSRF checks; never
 * follows redirects (a 3xx is an answer, and a failed attempt). Node uses ./node-transport.ts, which checks
 * the resolved addresses; Workers use `fetchTransport`.
 */
export type WebhookTransport = (request: WebhookRequest) => Promise<WebhookResponse>;

/** The longest response excerpt kept in the delivery log. */
export const excerptLength = 1000;

/** The refusal of a target by the SSRF checks: the attempt fails without anything being sent. */
export class TargetRefused extends Error {
  override name = "TargetRefused";
}

/**
 * `fetch`, for Workers: the URL is checked as written (literal private addresses, local names), and Cloudflare's
 * network does not route Workers' subrequests to private addresses, which covers names resolving there.
 */
export function fetchTransport(allowPrivate: boolean): WebhookTransport {
  return async (request) => {
    const refused = refuseTarget(request.url, allowPrivate);
    if (refused) throw new TargetRefused(`The endpoint URL ${refused}.`);
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: response.status, excerpt: await readExcerpt(response.body) };
  };
}

/** Reads at most `excerptLength` characters of a body, then stops reading it. */
export async function readExcerpt(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < excerptLength) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, excerptLength);
}
