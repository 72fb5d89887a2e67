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

export default defineConfig({
  test: {
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
        },
      },
      {
        // The Worker entry inside workerd, with wrangler.toml's bindings and a local D1 database.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: workerTestBindings,
              d1Databases: Object.fromEntries(freshDatabases.map((name) => [name, name.toLowerCase()])),
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
