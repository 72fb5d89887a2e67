import type { D1Database, ExecutionContext, ScheduledController } from "@cloudflare/workers-types";
import { prepare, prepareShards } from "./bootstrap";
import { type Clock, systemClock } from "./clock";
import { type Config, ConfigError, parseConfig } from "./config";
import { openD1 } from "./db/d1";
import { openLibsqlWeb } from "./db/libsql-web";
import { MigrationError } from "./db/migrate";
import { d1Reader } from "./db/reader";
import { parseShardSettings } from "./db/shards/router";
import { type D1Like, d1Writer } from "./db/writer";
import { buildDeps, buildShardDeps, type Deps, type OpenDatabase } from "./deps";
import { type ErrorCode, errorCodes } from "./errors";
import { createIds } from "./ids";
import { runScheduledJobsEverywhere } from "./jobs";
import { createLimiter } from "./limits/create";
import { createLog } from "./log";
import { createServer } from "./server";
import { createShardedServer, type Served } from "./sharded-server";

/**
 * The Worker's bindings (wrangler.toml): the D1 database `DB`, further D1 databases that DATABASE_SHARDS names as
 * shards (`eu=d1:DB_EU`, docs/scale-out.md), and the settings of config.ts as vars and secrets.
 */
export interface WorkerEnv {
  DB?: D1Database;
  [setting: string]: unknown;
}

type Started = { deps: Deps; app: Served };

/**
 * The Workers entry. Deps are built from the bindings once per isolate, on the first request or cron run,
 * and every later call of that isolate reuses them. `createWorker` exists so tests can start a fresh
 * isolate-like instance with other bindings or a clock of their own (a ManualClock, so no test waits in real
 * time); the runtime uses the default export, on the system clock.
 */
export function createWorker(options: { clock?: Clock } = {}) {
  const clock = options.clock ?? systemClock;
  let started: Promise<Started> | undefined;

  /**
   * Memoised start. A bad setting stays failed (bindings cannot change within an isolate); any other
   * failure, such as an unreachable database or a refused migration (the database can be repaired without a
   * new isolate), is retried by the next call. The call that begins the start holds its invocation open
   * until the start settles: workerd cancels the I/O of an invocation that has ended, which would otherwise
   * leave every request awaiting this promise hanging if the first client left.
   */
  function start(env: WorkerEnv, ctx: ExecutionContext): Promise<Started> {
    if (started) return started;
    const starting = boot(env, clock).catch((error: unknown) => {
      if (!(error instanceof ConfigError)) started = undefined;
      createLog()("error", "gateway failed to start", {
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
      });
      throw error;
    });
    started = starting;
    ctx.waitUntil(starting.catch(() => undefined));
    return starting;
  }

  return {
    async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
      let app: Served;
      try {
        ({ app } = await start(env, ctx));
      } catch (error) {
        return startupProblem(error);
      }
      return app.fetch(request, env, ctx);
    },

    /** Cron trigger (wrangler.toml): the same idempotent jobs as the Node interval (gateway/src/jobs.ts). */
    async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
      const { deps } = await start(env, ctx);
      deps.log("info", "scheduled run", {
        cron: controller.cron,
        scheduled_time: new Date(controller.scheduledTime).toISOString(),
      });
      await runScheduledJobsEverywhere(deps);
    },
  };
}

export default createWorker();

async function boot(env: WorkerEnv, clock: Clock): Promise<Started> {
  const settings = settingsOf(env);
  const config = parseConfig(settings);
  const log = createLog(config.LOG_LEVEL);
  const deps = buildDeps({
    ...openDatabase(env, settings, config),
    limiter: createLimiter(config, clock),
    config,
    clock,
    log,
    // Cloudflare sets it on every request that reaches a Worker, replacing whatever the client sent.
    platformAddressHeader: "CF-Connecting-IP",
  });
  const all = buildShardDeps(deps, openShards(env, settings, config));
  const { operator } = await prepare(deps);
  // Every isolate would relay before its first answer; the cron's scheduled run relays every minute instead.
  await prepareShards(deps, { relay: false });
  if (operator) {
    // Same one-time notice as the Node entry; on Workers it reaches `wrangler dev` output or `wrangler tail`.
    console.log(
      [
        "Operator credential created. It is shown only this once; keep it safe, or set both as secrets:",
        `  OPERATOR_CLIENT_ID=${operator.clientId}`,
        `  OPERATOR_CLIENT_SECRET=${operator.secret}`,
      ].join("\n"),
    );
  }
  return { deps, app: all.size === 1 ? createServer(deps) : createShardedServer(all) };
}

/**
 * The plain settings among the bindings, as strings. `[vars]` in wrangler.toml may hold TOML numbers and
 * booleans (`QUOTE_TTL_SECONDS = 60`), which reach the Worker as JSON values; config.ts expects what an
 * environment variable would hold. Bindings that are objects (D1, services) are left out.
 */
function settingsOf(env: WorkerEnv): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      settings[name] = String(value);
  }
  return settings;
}

/** libSQL over HTTP when DATABASE_URL is set, else the D1 binding. config.ts defaults DATABASE_URL to a file, so the raw setting decides. */
function openDatabase(env: WorkerEnv, settings: Record<string, string>, config: Config): OpenDatabase {
  if (settings.DATABASE_URL) return openWeb(config.DATABASE_URL, config, "DATABASE_URL");
  if (typeof env.DB !== "object" || env.DB === null)
    throw new ConfigError([
      "DB: no D1 binding named DB and no DATABASE_URL; bind a D1 database as DB in wrangler.toml or set DATABASE_URL",
    ]);
  return openBinding(env.DB);
}

/** libSQL over HTTP: a libsql:// or https:// URL (a Worker cannot open files or WebSockets to Turso). */
function openWeb(url: string, config: Config, setting: string): OpenDatabase {
  const scheme = /^[a-z]+:/i.exec(url)?.[0] ?? url;
  if (!/^(libsql|https?):$/i.test(scheme))
    throw new ConfigError([
      `${setting}: on Workers must be a libsql:// or https:// URL${setting === "DATABASE_URL" ? ", or unset to use the D1 binding DB" : ", or d1:BINDING"} (got ${JSON.stringify(scheme)})`,
    ]);
  return openLibsqlWeb(url, config.DATABASE_AUTH_TOKEN);
}

const openBinding = (binding: D1Database): OpenDatabase => {
  const d1 = binding as unknown as D1Like;
  return { db: openD1(binding), writer: d1Writer(d1), reader: d1Reader(d1) };
};

/** How DATABASE_SHARDS names a D1 binding as a shard: `eu=d1:DB_EU`. */
const d1Scheme = "d1:";

/**
 * The further databases, each named by DATABASE_SHARDS: `name=d1:BINDING` the D1 binding BINDING, any other URL
 * libSQL over HTTP. Only these are shards, so a D1 binding for something else (`DB_ANALYTICS`) is never migrated.
 */
function openShards(env: WorkerEnv, settings: Record<string, string>, config: Config): Map<string, OpenDatabase> {
  const shards = new Map<string, OpenDatabase>();
  for (const [name, url] of parseShardSettings(settings.DATABASE_SHARDS)) {
    const setting = `DATABASE_SHARDS, ${name}`;
    if (!url.startsWith(d1Scheme)) {
      shards.set(name, openWeb(url, config, setting));
      continue;
    }
    const binding = url.slice(d1Scheme.length);
    const value = env[binding];
    if (typeof value !== "object" || value === null)
      throw new ConfigError([`${setting}: no D1 binding named ${JSON.stringify(binding)} (bind it in wrangler.toml)`]);
    if (binding === "DB" && !settings.DATABASE_URL) throw new ConfigError([`${setting}: DB is main's database`]);
    shards.set(name, openBinding(value as D1Database));
  }
  return shards;
}

const startupIds = createIds(systemClock);

/**
 * The problem JSON (as http/errors.ts shapes it) for a request that arrives while the gateway cannot
 * start: 500 naming the bad settings, 500 with the database's own message when it refused a migration
 * (schema text, no secrets: waiting will not help, the database needs repair), or 503 for anything else,
 * such as an unreachable database. There is no Hono context yet, so the body is built here.
 */
function startupProblem(error: unknown): Response {
  const requestId = startupIds("req");
  const permanent = error instanceof ConfigError || error instanceof MigrationError;
  const code: ErrorCode = permanent ? "internal_error" : "service_unavailable";
  const [status, title] = errorCodes[code];
  const detail =
    error instanceof ConfigError
      ? `The gateway is misconfigured: ${error.problems.join("; ")}.`
      : error instanceof MigrationError
        ? `The gateway cannot migrate its database: ${error.message}. Applied migrations are recorded in the tables __migrations and d1_migrations; repair the database so its schema matches them.`
        : "The gateway could not start; try again shortly. Quote the request id if this persists.";
  const body = { type: `urn:coalition-gateway:problem:${code}`, title, status, detail, code, request_id: requestId };
  return new Response(JSON.stringify(body), {
    status,
    // A bad setting or a refused migration needs a fix, not a retry; an unreachable database may come back.
    headers: {
      "content-type": "application/problem+json",
      "Request-Id": requestId,
      "Should-Retry": String(!permanent),
    },
  });
}
