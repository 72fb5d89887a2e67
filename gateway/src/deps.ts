import { KeyStore } from "./auth/keys";
import { VerifiedTokens } from "./auth/token-cache";
import type { TokenSettings } from "./auth/tokens";
import { type Clock, SandboxClock } from "./clock";
import type { Config } from "./config";
import type { Db } from "./db/client";
import type { SqlReader } from "./db/reader";
import { ShardRouter } from "./db/shards/router";
import type { AtomicWriter } from "./db/writer";
import { createIds, type NewId } from "./ids";
import type { Limiter } from "./limits/limiter";
import type { Log } from "./log";
import { type WebhookRunner, webhookRunner } from "./webhooks/runner";
import { fetchTransport, type WebhookTransport } from "./webhooks/transport";

/** Everything the app needs from its host, built once per process (Node) or isolate (Workers). */
export interface Deps {
  db: Db;
  /** Atomic multi-statement writes: every movement of points is one call. */
  writer: AtomicWriter;
  /** Plain SQL reads for the hot paths (./db/reader.ts). */
  reader: SqlReader;
  /** Request limits and velocity rules: Upstash Redis when configured, else in-process (./limits). */
  limiter: Limiter;
  /** Idempotency keys being processed by this process or isolate (`partner\nkey`). */
  inFlight: Set<string>;
  /**
   * The business clock: expiry, quotes, sessions, webhook schedules, idempotency retention, settlements, ids.
   * The real clock, except in a sandbox, where it is `sandboxClock`.
   */
  clock: Clock;
  /**
   * The host's clock, for what others check against real time: access tokens (`iat`, `exp`), signing keys,
   * request limits and velocity windows (Upstash keeps its own time), webhook signature timestamps.
   */
  realClock: Clock;
  /** Only with SANDBOX=true: the test clock the operator moves, shared through the database. */
  sandboxClock?: SandboxClock;
  ids: NewId;
  keys: KeyStore;
  /** Tokens this process has verified, until they expire. */
  verifiedTokens: VerifiedTokens;
  log: Log;
  config: Config;
  tokens: TokenSettings;
  /** Sends one webhook: node:http(s) with resolved-address checks on Node, `fetch` on Workers. */
  webhookTransport: WebhookTransport;
  /** Delivers webhooks in the background: kicked after each committed write, by an interval and by cron. */
  webhooks: WebhookRunner;
  /**
   * Serves the API reference's script (Scalar's standalone bundle) at `/docs/scalar.js`. The Node entry reads
   * it from node_modules; Workers leave it out and serve the file as a static asset (wrangler.toml `[assets]`).
   */
  docsScript?: (request: Request) => Promise<Response>;
  /**
   * A request header the platform itself sets to the client's address, which clients cannot forge:
   * `CF-Connecting-IP` on Workers. Unset on Node, where the socket tells (see http/rate-limit.ts).
   */
  platformAddressHeader?: string;
  /**
   * Only with DATABASE_SHARDS (docs/scale-out.md): the gateway's other databases, for what spans two of them (a
   * conversion between programs on different databases runs as a saga). Unset with one database.
   */
  shards?: Shards;
}

/** The databases of a sharded deployment, as the deps of one of them see the others. */
export interface Shards {
  /** The name of the database these deps use (`main` is DATABASE_URL's, the directory). */
  here: string;
  /** The name of the database that holds a program (the router's placement). */
  nameFor(programId: string): Promise<string>;
  /** The deps of the database of that name. */
  deps(name: string): Deps;
  /** Every database's name, `main` first. */
  names(): string[];
}

/** Assembles the deps both entries share from a database and the parsed config. */
export function buildDeps(input: {
  db: Db;
  writer: AtomicWriter;
  reader: SqlReader;
  limiter: Limiter;
  config: Config;
  /** The real clock; a sandbox builds its business clock on it. */
  clock: Clock;
  log: Log;
  /** Default: `fetch` (Workers). */
  webhookTransport?: WebhookTransport;
  platformAddressHeader?: string;
}): Deps {
  const { db, writer, reader, limiter, config, log } = input;
  const realClock = input.clock;
  const sandboxClock = config.SANDBOX ? new SandboxClock(realClock) : undefined;
  const clock = sandboxClock ?? realClock;
  const tokens = {
    issuer: config.PUBLIC_URL,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  };
  const keys = new KeyStore(db, realClock, {
    configuredJwk: config.JWT_PRIVATE_JWK,
    // Longer than any token a retired key signed can live, plus the signing-key cache of other isolates.
    publishRetiredForMs: (tokens.ttlSeconds + 600) * 1000,
  });
  const ids = createIds(clock);
  const webhookTransport = input.webhookTransport ?? fetchTransport(config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
  return {
    db,
    writer,
    reader,
    limiter,
    inFlight: new Set(),
    config,
    clock,
    realClock,
    sandboxClock,
    log,
    tokens,
    keys,
    verifiedTokens: new VerifiedTokens(),
    ids,
    webhookTransport,
    webhooks: webhookRunner({ reader, writer, clock, realClock, ids, log, webhookTransport }),
    platformAddressHeader: input.platformAddressHeader,
  };
}

/** One database as the entries open it. */
export type OpenDatabase = { db: Db; writer: AtomicWriter; reader: SqlReader };

/**
 * The deps of every database of a sharded deployment, by name, `main` first: each database has its own db, reader,
 * writer, webhook runner and idempotency keys in flight; the limiter, signing keys (the directory's), clocks, ids,
 * verified tokens, log and config are main's, so a token is verified the same way whichever database serves it.
 * Each gets `shards`, which places programs through one router over the directory. Without further databases:
 * main alone, unchanged.
 */
export function buildShardDeps(main: Deps, others: ReadonlyMap<string, OpenDatabase>): Map<string, Deps> {
  const all = new Map<string, Deps>([["main", main]]);
  for (const [name, database] of others)
    all.set(name, {
      ...main,
      ...database,
      inFlight: new Set(),
      webhooks: webhookRunner({ ...main, ...database }),
    });
  if (all.size === 1) return all;
  const router = new ShardRouter(all, main.reader);
  const names = router.names();
  for (const [here, deps] of all)
    deps.shards = {
      here,
      nameFor: (programId) => router.nameFor(programId),
      deps: (name) => router.database(name),
      names: () => names,
    };
  return all;
}
