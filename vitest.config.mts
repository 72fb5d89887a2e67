import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Bindings the worker tests add to wrangler.toml's; the tests read them back from `env`. WRANGLER_MIGRATIONS
 * is migrations/*.sql as `wrangler d1 migrations apply` reads it (wrangler.toml's migrations_dir), for
 * cloudflare:test's applyD1Migrations to apply as wrangler does (test/worker/wrangler-migrations.test.ts).
 */
const workerTestBindings = {
  OPERATOR_CLIENT_ID: "op_worker_test_operator",
  OPERATOR_CLIENT_SECRET: "worker-test-operator-secret-0123456789",
  LOG_LEVEL: "warn",
  WRANGLER_MIGRATIONS: await readD1Migrations({ migrationsDir: "migrations" }),
};

/**
 * Local D1 databases besides wrangler.toml's DB, each empty at the start of a run and used by one test only:
 * EMPTY_DB and REFUSED_DB by first-start tests (test/worker/startup.test.ts), SANDBOX_DB by the sandbox
 * deployment of test/worker/sandbox.test.ts (whose jobs expire points as its clock runs ahead), the others by
 * the tests of wrangler's and the Worker's migrations (test/worker/wrangler-migrations.test.ts), SHARD_MAIN_DB and
 * SHARD_EU_DB by the cross-database conversion saga over two D1 databases (test/worker/shards.test.ts), SHARDED_MAIN_DB
 * and SHARDED_EU_DB by a Worker serving both as DB and DB_EU, UNRELATED_DB as its DB_ANALYTICS, not a shard
 * (test/worker/sharded-worker.test.ts).
 */
const freshDatabases = [
  "EMPTY_DB",
  "WRANGLER_FIRST_DB",
  "WORKER_FIRST_DB",
  "OLD_GATEWAY_DB",
  "PART_WRANGLER_DB",
  "REFUSED_DB",
  "SANDBOX_DB",
  "SCRATCH_DB",
  "SHARD_MAIN_DB",
  "SHARD_EU_DB",
  "SHARDED_MAIN_DB",
  "SHARDED_EU_DB",
  "UNRELATED_DB",
];

/**
 * Worker test files that need the D1 database to themselves: they close settlement periods, sum the whole network
 * or run the scheduled jobs over every program, count the webhook attempts of the whole database, or check every hold
 * account. Each runs in its
 * own workerd runtime with fresh storage; the others share one runtime and its modules, as `isolate: false` (five
 * minutes less on two CPUs), each in programs and partners of its own.
 */
const ownDatabaseFiles = [
  "test/worker/scenarios-bonus-settlements.test.ts",
  // Checks that every hold account in the database holds its member's pending conversions: a redemption held for
  // review by another file would hold points too.
  "test/worker/scenarios-conversions.test.ts",
  "test/worker/scenarios-expiring-soon.test.ts",
  "test/worker/scenarios-reports-network.test.ts",
  "test/worker/scenarios-settlements.test.ts",
  "test/worker/scenarios-statement-languages.test.ts",
  "test/worker/scenarios-transfer-limits.test.ts",
  "test/worker/scenarios-webhooks.test.ts",
];

/** The Worker entry inside workerd, with wrangler.toml's bindings and local D1 databases. */
const workerProject = (name: string, files: { include: string[]; exclude?: string[]; isolate: boolean }) => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: workerTestBindings,
        d1Databases: Object.fromEntries(freshDatabases.map((name) => [name, name.toLowerCase()])),
      },
    }),
  ],
  test: { name, ...files, testTimeout: 20_000 },
});

export default defineConfig({
  test: {
    // Two files at a time even on two CPUs (vitest's default is CPUs - 1): much of a file's time is waiting on
    // Chromium, wrangler or a child gateway.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "node",
          include: [
            "test/unit/**/*.test.ts",
            "test/api/**/*.test.ts",
            "test/sdk/**/*.test.ts",
            "test/browser/**/*.test.ts",
          ],
          testTimeout: 20_000,
          // Files share a worker's modules rather than importing the gateway afresh each (a fifth of the suite's
          // time); every file builds its own gateway, database and clock, so nothing else is shared.
          isolate: false,
        },
      },
      workerProject("worker", { include: ["test/worker/**/*.test.ts"], exclude: ownDatabaseFiles, isolate: false }),
      workerProject("worker-own-database", { include: ownDatabaseFiles, isolate: true }),
    ],
  },
});
