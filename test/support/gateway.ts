import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { prepare, prepareShards } from "../../gateway/src/bootstrap";
import { ManualClock } from "../../gateway/src/clock";
import { parseConfig } from "../../gateway/src/config";
import { openLibsql } from "../../gateway/src/db/libsql";
import { buildDeps, buildShardDeps, type OpenDatabase } from "../../gateway/src/deps";
import { createLimiter } from "../../gateway/src/limits/create";
import type { Limiter } from "../../gateway/src/limits/limiter";
import { openNodeShards } from "../../gateway/src/node-database";
import { createServer } from "../../gateway/src/server";
import { createShardedServer } from "../../gateway/src/sharded-server";
import { nodeTransport } from "../../gateway/src/webhooks/node-transport";
import type { WebhookTransport } from "../../gateway/src/webhooks/transport";

export const operatorCredential = { clientId: "op_test_operator", secret: "test-operator-secret-0123456789abcdef" };

export type TestGateway = Awaited<ReturnType<typeof createTestGateway>>;

/**
 * A whole gateway in process on a fresh libSQL file, with a manual clock and a known operator credential.
 * `call` drives it through `app.request`, exactly as HTTP would. `shards` names further databases (DATABASE_SHARDS,
 * each a fresh file `<name>.db` beside `gateway.db`), served as the entries serve them; those also in `unreachable`
 * are migrated, then fail every read and write, as a database gone down after the start's migrations.
 */
export async function createTestGateway(
  settings: Record<string, string> = {},
  options: { limiter?: Limiter; webhookTransport?: WebhookTransport; shards?: string[]; unreachable?: string[] } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "gateway-test-"));
  const config = parseConfig({
    DATABASE_URL: `file:${join(dir, "gateway.db")}`,
    DATABASE_SHARDS: (options.shards ?? []).map((name) => `${name}=file:${join(dir, `${name}.db`)}`).join(","),
    OPERATOR_CLIENT_ID: operatorCredential.clientId,
    OPERATOR_CLIENT_SECRET: operatorCredential.secret,
    LOG_LEVEL: "silent",
    // Tests call the API far faster than a partner would and the clock stands still: limits that matter
    // to a test are set by that test.
    RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
    RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE: "1000000",
    ...settings,
  });
  const clock = new ManualClock(new Date());
  const { db, writer, reader, close } = await openLibsql(config.DATABASE_URL);
  const logs: Record<string, unknown>[] = [];
  const deps = buildDeps({
    db,
    writer,
    reader,
    limiter: options.limiter ?? createLimiter(config, clock),
    webhookTransport: options.webhookTransport ?? nodeTransport({ allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS }),
    config,
    clock,
    log: (level, message, fields) => {
      logs.push({ level, message, ...fields });
      // Errors also go to stderr, so an unexpected 500 in any run (CI included) can be diagnosed.
      if (level === "error") console.error(JSON.stringify({ level, message, ...fields }));
    },
  });
  const shardDatabases = await openNodeShards(config);
  const all = buildShardDeps(deps, withUnreachable(shardDatabases, new Set(options.unreachable)));
  await prepare(deps);
  await prepareShards(deps);
  const app = createServer(deps);
  const served = all.size === 1 ? app : createShardedServer(all);
  const request = (path: string, init: RequestInit) =>
    all.size === 1 ? app.request(path, init) : served.fetch(new Request(new URL(path, "http://localhost"), init));

  async function call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["Content-Type"] ??= "application/json";
    }
    const response = await request(path, { method, headers, body });
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: json };
  }

  async function token(clientId: string, secret: string, scope?: string): Promise<string> {
    const response = await call("POST", "/oauth/token", {
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: secret,
        ...(scope ? { scope } : {}),
      }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
    return response.body.access_token;
  }

  const operatorToken = () => token(operatorCredential.clientId, operatorCredential.secret);

  /** Onboards a partner through the API and returns it with a ready token. */
  async function onboardPartner(overrides: Record<string, unknown> = {}) {
    const created = await call("POST", "/v1/partners", {
      token: await operatorToken(),
      body: { name: `Partner ${crypto.randomUUID().slice(0, 8)}`, contact_email: "dev@partner.example", ...overrides },
    });
    if (created.status !== 201) throw new Error(`onboarding failed: ${created.status} ${created.text}`);
    const { client_id, client_secret } = created.body.credentials;
    return {
      partner: created.body,
      clientId: client_id,
      secret: client_secret,
      token: await token(client_id, client_secret),
    };
  }

  /** Serves the app over real HTTP on 127.0.0.1 and a free port. */
  async function listen(): Promise<{ url: string; stop: () => Promise<void> }> {
    return new Promise((resolve) => {
      const server = serve({ fetch: served.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          stop: () => new Promise<void>((done) => server.close(() => done())),
        }),
      );
    });
  }

  /** Lets background webhook attempts finish, then closes the database. */
  const shutdown = async () => {
    await Promise.all([...all.values()].map((each) => each.webhooks.idle()));
    await Promise.all([close(), ...[...shardDatabases.values()].map((database) => database.close())]);
  };

  return {
    app,
    deps,
    all,
    dir,
    clock,
    config,
    logs,
    call,
    token,
    operatorToken,
    onboardPartner,
    listen,
    close: shutdown,
  };
}

function withUnreachable<D extends OpenDatabase>(databases: Map<string, D>, unreachable: Set<string>): Map<string, D> {
  const down = () => Promise.reject(new Error("the database cannot be reached"));
  return new Map(
    [...databases].map(([name, database]) => [
      name,
      unreachable.has(name) ? { ...database, reader: { all: down, first: down }, writer: { write: down } } : database,
    ]),
  );
}
