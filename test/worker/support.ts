import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { createWorker, WorkerEnv } from "../../gateway/src/worker";

/** The operator credential the worker project sets as bindings (vitest.config.mts). */
export const operator = { clientId: String(env.OPERATOR_CLIENT_ID), secret: String(env.OPERATOR_CLIENT_SECRET) };

export type Answer = { status: number; headers: Headers; text: string; body: any };

/**
 * Sends a request through the Worker's own fetch handler inside workerd, as the edge would, and reads the
 * answer once. `body` is sent as JSON, `form` as application/x-www-form-urlencoded.
 */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  return read(await exports.default.fetch(request(method, path, options)));
}

export type CallOptions = {
  token?: string;
  body?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
};

/**
 * `call`, but through another Worker instance (what one isolate holds) started with these bindings, such
 * as `{ ...env, QUOTE_TTL_SECONDS: "5" }`: it shares the D1 database and the signing keys kept there.
 */
export function callThrough(worker: ReturnType<typeof createWorker>, bindings: WorkerEnv): typeof call {
  return async (method, path, options = {}) => {
    const ctx = createExecutionContext();
    const answer = await read(await worker.fetch(request(method, path, options), bindings, ctx));
    await waitOnExecutionContext(ctx);
    return answer;
  };
}

function request(method: string, path: string, options: CallOptions): Request {
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
  return new Request(`https://gateway.test${path}`, { method, headers, body });
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

// ---- Ledger helpers: the same setup as test/support/ledger.ts, but through the Worker and straight on D1.

/** The Worker's D1 binding, for reading what the gateway wrote. */
export function d1(): import("@cloudflare/workers-types").D1Database {
  const binding = env.DB;
  if (!binding) throw new Error("no D1 binding DB in the worker test environment");
  return binding;
}

/** All rows of a query on the Worker's D1 database. */
export async function d1All<T = Record<string, unknown>>(query: string, ...args: unknown[]): Promise<T[]> {
  return (
    await d1()
      .prepare(query)
      .bind(...args)
      .all<T>()
  ).results;
}

/** A fresh Idempotency-Key, unique across tests and files. */
export const newKey = () => `key-${crypto.randomUUID()}`;

/** A fresh value for names, external ids and references. */
export const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 13)}`;

export type Partner = { id: string; clientId: string; secret: string; token: string };

/** Onboards a partner through the API and signs it in with all its scopes (or the ones asked for). */
export async function onboardPartner(operatorToken: string): Promise<Partner> {
  const created = await createPartner(operatorToken);
  if (created.status !== 201) throw new Error(`onboarding failed: ${created.status} ${created.text}`);
  const { client_id, client_secret } = created.body.credentials;
  return {
    id: created.body.id,
    clientId: client_id,
    secret: client_secret,
    token: await tokenFor(client_id, client_secret),
  };
}

/** A program owned by a new partner, with helpers to enrol members and move points as that partner. */
export async function setupProgram(operatorToken: string, overrides: Record<string, unknown> = {}) {
  const owner = await onboardPartner(operatorToken);
  const program = await call("POST", "/v1/programs", {
    token: operatorToken,
    body: {
      partner_id: owner.id,
      name: unique("Program"),
      point_name: "mile",
      settlement_currency: "USD",
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
      ...overrides,
    },
  });
  if (program.status !== 201) throw new Error(`program: ${program.status} ${program.text}`);
  const programId: string = program.body.id;

  /** Enrols a member with a unique external id; answers the created member. */
  const enrol = async (externalId = unique("M"), token = owner.token) => {
    const response = await call("POST", `/v1/programs/${programId}/members`, {
      token,
      body: { external_id: externalId },
    });
    if (response.status !== 201) throw new Error(`enrol: ${response.status} ${response.text}`);
    return { externalId, id: response.body.id as string, answer: response };
  };
  const move = (
    kind: "earn" | "burn",
    externalId: string,
    points: number,
    options: { token?: string; key?: string; reference?: string } = {},
  ) =>
    call("POST", `/v1/transactions/${kind}`, {
      token: options.token ?? owner.token,
      headers: { "Idempotency-Key": options.key ?? newKey() },
      body: { program_id: programId, external_id: externalId, points, reference: options.reference ?? unique(kind) },
    });
  const reverse = (transactionId: string, body?: { points?: number; reason?: string }, token = owner.token) =>
    call("POST", `/v1/transactions/${transactionId}/reversals`, {
      token,
      headers: { "Idempotency-Key": newKey() },
      body,
    });
  const member = (externalId: string, token = owner.token) =>
    call("GET", `/v1/programs/${programId}/members/${externalId}`, { token });
  const balance = async (externalId: string) => {
    const answer = await member(externalId);
    if (answer.status !== 200) throw new Error(`member: ${answer.status} ${answer.text}`);
    return answer.body.balance as { available: number; pending: number; lifetime_earned: number };
  };
  return { owner, programId, enrol, move, reverse, member, balance };
}

// ---- Conversion helpers: the same setup as test/support/conversions.ts, through the Worker.

/**
 * A hotel program and an airline program owned by two partners, a member in each, and a rate from hotel
 * points to airline miles published by the operator. The hotel (the source's owner) converts for its
 * member. `send` lets a test route the quote and execute calls through another Worker instance.
 */
export async function setupConversion(
  operatorToken: string,
  rate: Record<string, unknown> = {},
  hotelProgram: Record<string, unknown> = {},
) {
  const hotel = await setupProgram(operatorToken, {
    name: unique("Harbor Rewards"),
    point_name: "point",
    ...hotelProgram,
  });
  const airline = await setupProgram(operatorToken, { name: unique("SkyWays Miles"), issue_price_micros: 15_000 });
  const guest = await hotel.enrol();
  const flyer = await airline.enrol();
  const published = await call("POST", "/v1/conversion-rates", {
    token: operatorToken,
    body: {
      from_program_id: hotel.programId,
      to_program_id: airline.programId,
      from_points: 1_000,
      to_points: 600,
      min_points: 1_000,
      increment: 1_000,
      fee_bps: 0,
      ...rate,
    },
  });
  if (published.status !== 201) throw new Error(`rate: ${published.status} ${published.text}`);
  type Send = typeof call;
  const quote = (fromPoints: number, overrides: Record<string, unknown> = {}, send: Send = call) =>
    send("POST", "/v1/conversions/quotes", {
      token: hotel.owner.token,
      body: {
        from_program_id: hotel.programId,
        from_external_id: guest.externalId,
        to_program_id: airline.programId,
        to_external_id: flyer.externalId,
        from_points: fromPoints,
        ...overrides,
      },
    });
  const execute = (quoteId: string, key = newKey(), send: Send = call) =>
    send("POST", "/v1/conversions", {
      token: hotel.owner.token,
      headers: { "Idempotency-Key": key },
      body: { quote_id: quoteId },
    });
  const balances = async () => ({
    guest: await hotel.balance(guest.externalId),
    flyer: await airline.balance(flyer.externalId),
  });
  const fund = async (points: number) => {
    const earned = await hotel.move("earn", guest.externalId, points);
    if (earned.status !== 201) throw new Error(`fund: ${earned.status} ${earned.text}`);
    return earned;
  };
  return { hotel, airline, guest, flyer, rate: published.body, quote, execute, balances, fund };
}

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
