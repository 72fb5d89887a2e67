import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "./app";
import { prepare } from "./bootstrap";
import { systemClock } from "./clock";
import { ConfigError, configHelp, parseConfig } from "./config";
import { openLibsql } from "./db/libsql";
import { buildDeps } from "./deps";
import { runScheduledJobs } from "./jobs";
import { createLimiter } from "./limits/create";
import { createLog } from "./log";
import { nodeDocsScript } from "./node-docs-script";
import { nodeTransport } from "./webhooks/node-transport";

if (process.argv.includes("--help")) {
  console.log("coalition-gateway on Node. Settings (environment variables):\n");
  for (const [name, help] of Object.entries(configHelp)) console.log(`  ${name.padEnd(30)} ${help}`);
  process.exit(0);
}

let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\nRun with --help to list every setting.`);
  process.exit(1);
}

const log = createLog(config.LOG_LEVEL);
if (config.DATABASE_URL.startsWith("file:"))
  mkdirSync(dirname(config.DATABASE_URL.slice("file:".length)), { recursive: true });
const { db, writer, reader, close } = await openLibsql(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
// Node serves the API reference's script itself; a Worker serves it as a static asset.
const deps = {
  ...buildDeps({
    db,
    writer,
    reader,
    limiter: createLimiter(config, systemClock),
    config,
    clock: systemClock,
    log,
    webhookTransport: nodeTransport({ allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS }),
  }),
  docsScript: nodeDocsScript(),
};
const { operator } = await prepare(deps);
if (operator) {
  console.log(
    [
      "",
      "  Operator credential created. It is shown only this once; keep it safe:",
      `    OPERATOR_CLIENT_ID=${operator.clientId}`,
      `    OPERATOR_CLIENT_SECRET=${operator.secret}`,
      "",
    ].join("\n"),
  );
}

const app = createApp(deps);
const server = serve({ fetch: app.fetch, port: config.PORT }, (info) =>
  log("info", "listening", {
    url: `http://localhost:${info.port}`,
    docs: `http://localhost:${info.port}/docs`,
    database: config.DATABASE_URL.replace(/\?.*/, ""),
  }),
);

// Expiry and clean-up every minute; the Workers entry runs the same jobs from its Cron Trigger.
const jobs = setInterval(() => {
  runScheduledJobs(deps).catch((error: unknown) => log("error", "scheduled jobs failed", { error: String(error) }));
}, 60_000);
jobs.unref();
// Webhook retries fall due at 5 s, 5 min, ...: look for due attempts every second (an idle look is one read).
const webhooks = setInterval(() => deps.webhooks.kick(), 1000);
webhooks.unref();

/** Stops taking connections, lets in-flight requests finish, then closes the database. */
function shutdown(signal: string) {
  log("info", "shutting down", { signal });
  clearInterval(jobs);
  clearInterval(webhooks);
  server.close(() => {
    // Attempts under way are recorded before the database closes; unsent ones stay due for the next start.
    deps.webhooks
      .idle()
      .then(close)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
