import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepare } from "../gateway/src/bootstrap";
import { type Clock, systemClock } from "../gateway/src/clock";
import { parseConfig } from "../gateway/src/config";
import { openLibsql } from "../gateway/src/db/libsql";
import { GroupCommitWriter } from "../gateway/src/db/threaded-writer";
import { buildDeps } from "../gateway/src/deps";
import { createLimiter } from "../gateway/src/limits/create";
import { createLog } from "../gateway/src/log";
import { nodeListener } from "../gateway/src/node-listener";
import { createServer } from "../gateway/src/server";
import { configureBenchPromotions } from "./promotions";
import { type Served, serveOnLoopback } from "./serve";
import type { ScenarioName } from "./settings";
import { benchTierTable, tierSeedPoints } from "./tiers";

/** The operator credential every bench gateway is started with (a child gateway too, so the bench can sign in). */
export const operator = { clientId: "op_bench_operator", secret: "bench-operator-secret-0123456789abcdef" };

/** What the load generator needs to hit the seeded program. */
export type Target = { url: string; token: string; programId: string; memberPrefix: string; members: number };

/** Points each member gets before the scenarios, so no burn of the bench can run out. */
export const prefundPoints = 1_000_000;

/**
 * The whole gateway in this process, as gateway/src/node.ts builds it: a fresh libSQL file in a temp
 * directory (group commit, WAL, synchronous=FULL), the system clock, silent logs, and a real HTTP server
 * on 127.0.0.1 (`databaseFile` opens that file instead, and keeps it). In-process so the bench can read the
 * group-commit statistics. `clock` replaces the system clock
 * (the segments bench moves it forward to date its earns), and `deps` lets a bench time the domain and query
 * functions without HTTP.
 */
export async function startGateway(options: { clock?: Clock; databaseFile?: string } = {}) {
  const clock = options.clock ?? systemClock;
  // A file of the caller's is kept; a fresh one lives in a temp directory removed on stop.
  const dir = options.databaseFile ? undefined : mkdtempSync(join(tmpdir(), "gateway-bench-"));
  const config = parseConfig({
    DATABASE_URL: `file:${options.databaseFile ?? join(dir as string, "gateway.db")}`,
    OPERATOR_CLIENT_ID: operator.clientId,
    OPERATOR_CLIENT_SECRET: operator.secret,
    LOG_LEVEL: "silent",
  });
  const { db, writer, reader, close } = await openLibsql(config.DATABASE_URL);
  const deps = buildDeps({
    db,
    writer,
    reader,
    limiter: createLimiter(config, clock),
    config,
    clock,
    log: createLog("silent"),
  });
  await prepare(deps);
  const app = createServer(deps);
  const served: Served = await serveOnLoopback(nodeListener(app.fetch, () => deps));

  /** Calls the app directly (no socket): fast enough for seeding, same code path as HTTP. */
  async function call(method: string, path: string, init: { token?: string; body?: unknown; key?: string } = {}) {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    if (init.key) headers["Idempotency-Key"] = init.key;
    const response = await app.request(path, { method, headers, body: JSON.stringify(init.body) });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  }

  async function token(clientId: string, secret: string): Promise<string> {
    const response = await app.request("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
    });
    if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  return {
    url: served.url,
    /** Group commit statistics (units per commit), when the writer is the embedded file's group commit. */
    commitStats: () => (writer instanceof GroupCommitWriter ? { ...writer.stats } : undefined),
    deps,
    call,
    token,
    operatorToken: () => token(operator.clientId, operator.secret),
    async stop() {
      await served.close();
      await close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type BenchGateway = Awaited<ReturnType<typeof startGateway>>;

/** Runs `task` over 0..count-1, `width` at a time. */
export async function inParallel(count: number, width: number, task: (index: number) => Promise<unknown>) {
  for (let start = 0; start < count; start += width)
    await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, i) => task(start + i)));
}

/**
 * Onboards a partner, creates its program, enrols `members` members and funds each with `prefundPoints`, all
 * through the API. With `tiers` (the earn-tiers scenario is to run), a second program of the same partner and
 * settings gets the four-tier table of bench/tiers.ts before its `members` members are enrolled, and each is
 * spread into a tier by one earn. With `promotions` (earn-promotions is to run), a third program is seeded like the
 * tiered one and gets the five promotions of bench/promotions.ts. Returns the target of each scenario, a way to
 * mint a fresh partner token for each, and how long each program took to seed.
 */
export async function seed(gw: BenchGateway, members: number, options: { tiers: boolean; promotions: boolean }) {
  const operatorToken = await gw.operatorToken();
  const partner = await gw.call("POST", "/v1/partners", {
    token: operatorToken,
    body: { name: "Bench Partner", contact_email: "bench@partner.example" },
  });
  // The bench measures throughput, not the request limit: lift it for this partner.
  await gw.call("PATCH", `/v1/partners/${partner.id}`, {
    token: operatorToken,
    body: { requests_per_minute: 1_000_000 },
  });
  const { client_id, client_secret } = partner.credentials as { client_id: string; client_secret: string };
  const partnerToken = () => gw.token(client_id, client_secret);
  const token = await partnerToken();
  const createProgram = async (name: string): Promise<string> => {
    const program = await gw.call("POST", "/v1/programs", {
      token: operatorToken,
      body: {
        partner_id: partner.id,
        name,
        point_name: "mile",
        settlement_currency: "USD",
        issue_price_micros: 12_000,
        redeem_price_micros: 10_000,
      },
    });
    return program.id as string;
  };
  const memberPrefix = "BENCH-";
  const externalId = (index: number) => `${memberPrefix}${index}`;
  const enrolAndFund = async (programId: string, points: (index: number) => number) => {
    await inParallel(members, 64, (i) =>
      gw.call("POST", `/v1/programs/${programId}/members`, { token, body: { external_id: externalId(i) } }),
    );
    await inParallel(members, 64, (i) =>
      gw.call("POST", "/v1/transactions/earn", {
        token,
        key: `seed-${programId}-${i}`,
        body: { program_id: programId, external_id: externalId(i), points: points(i), reference: `seed-${i}` },
      }),
    );
  };
  const seconds = (since: number) => (performance.now() - since) / 1000;

  let started = performance.now();
  const programId = await createProgram("Bench Miles");
  await enrolAndFund(programId, () => prefundPoints);
  const plainSeconds = seconds(started);

  const seedTiered = async (name: string) => {
    started = performance.now();
    const id = await createProgram(name);
    // The table first: enrolment places each member in its entry tier, and the seed earn moves it up.
    await gw.call("PUT", `/v1/programs/${id}/tiers`, { token, body: benchTierTable });
    await enrolAndFund(id, tierSeedPoints);
    return { programId: id, seconds: seconds(started) };
  };
  const tiered = options.tiers ? await seedTiered("Bench Tiered Miles") : undefined;
  let promoted: { programId: string; seconds: number } | undefined;
  if (options.promotions) {
    const program = await seedTiered("Bench Promoted Miles");
    await configureBenchPromotions(gw, token, program.programId, externalId);
    promoted = { ...program, seconds: seconds(started) };
  }

  const programs: Partial<Record<ScenarioName, { programId: string } | undefined>> = {
    "earn-tiers": tiered,
    "earn-promotions": promoted,
  };
  const target = (freshToken: string, scenario: ScenarioName): Target => {
    const own = scenario in programs ? programs[scenario] : { programId };
    if (!own) throw new Error(`${scenario} needs its program: seed with it`);
    return { url: gw.url, token: freshToken, programId: own.programId, memberPrefix, members };
  };
  return { partnerToken, target, plainSeconds, tiered, promoted };
}
