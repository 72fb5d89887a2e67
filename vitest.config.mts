import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** Settings the worker tests add to wrangler.toml's [vars]; the tests read them back from `env`. */
const workerTestVars = {
  OPERATOR_CLIENT_ID: "op_worker_test_operator",
  OPERATOR_CLIENT_SECRET: "worker-test-operator-secret-0123456789",
  LOG_LEVEL: "warn",
};

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
            // EMPTY_DB: a second local D1 database that only the first-start tests use (test/worker/startup.test.ts).
            miniflare: { bindings: workerTestVars, d1Databases: { EMPTY_DB: "empty-db" } },
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
