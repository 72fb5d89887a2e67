import { env, exports } from "cloudflare:workers";

/** The operator credential the worker project sets as bindings (vitest.config.mts). */
export const operator = { clientId: String(env.OPERATOR_CLIENT_ID), secret: String(env.OPERATOR_CLIENT_SECRET) };

export type Answer = { status: number; headers: Headers; text: string; body: any };

/**
 * Sends a request through the Worker's own fetch handler inside workerd, as the edge would, and reads the
 * answer once. `body` is sent as JSON, `form` as application/x-www-form-urlencoded.
 */
export async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("Content-Type", "application/json");
  }
  const response = await exports.default.fetch(`https://gateway.test${path}`, { method, headers, body });
  return read(response);
}

/** Status, headers and the body both as text and (when it parses) as JSON. */
export async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** An access token for a client credential, from `POST /oauth/token`. */
export async function tokenFor(clientId: string, secret: string): Promise<string> {
  const answer = await call("POST", "/oauth/token", {
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: secret },
  });
  if (answer.status !== 200) throw new Error(`token request failed: ${answer.status} ${answer.text}`);
  return answer.body.access_token;
}

/** Onboards a partner with a unique name through the API and returns the answer. */
export async function createPartner(operatorToken: string): Promise<Answer> {
  return call("POST", "/v1/partners", {
    token: operatorToken,
    body: { name: `Partner ${crypto.randomUUID().slice(0, 8)}`, contact_email: "dev@partner.example" },
  });
}
