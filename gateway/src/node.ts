import { createServer as createHttpServer } from "node:http";
import { prepare, prepareShards } from "./bootstrap";
import { systemClock } from "./clock";
import { parseConfig } from "./config";
import { buildDeps, buildShardDeps, type Deps } from "./deps";
import { runScheduledJobsEverywhere } from "./jobs";
import { createLimiter } from "./limits/create";
import { createLog } from "./log";
import { handleCommandLine } from "./node-cli";
import { openNodeDatabase, openNodeShards, shownDatabaseUrl } from "./node-database";
import { nodeDocsScript } from "./node-docs-script";
import { nodeListener } from "./node-listener";
import { drainable, listen } from "./node-server";
import { createServer } from "./server";
import { createShardedServer, type Served } from "./sharded-server";
import { exitOnStartError } from "./start-error";
import { nodeTransport } from "./webhooks/node-transport";

/** How long a shutdown may take before the process exits anyway, saying what it was still waiting for. */
const shutdownDeadlineMs = 10_000;

handleCommandLine(process.argv.slice(2));
await start().catch(exitOnStartError);

async function start(): Promise<void> {
  const settings = parseConfig(process.env);

  // The port is taken first: a busy port fails before the database is touched, and an unset PUBLIC_URL
  // follows the port actually listened on (PORT=0 lets the system pick one). Requests that arrive while
  // the database opens wait for the app.
  let appReady: (app: Served) => void = () => {};
  const app = new Promise<Served>((resolve) => {
    appReady = resolve;
  });
  let memberReads: Deps | undefined;
  const server = createHttpServer(
    nodeListener(
      async (request, env) => (await app).fetch(request, env),
      () => memberReads,
    ),
  );
  const requests = drainable(server);
  const port = await listen(server, settings.PORT);
  const config = parseConfig(process.env, { listeningPort: port });

  const log = createLog(config.LOG_LEVEL);
  const database = await openNodeDatabase(config);
  const shardDatabases = await openNodeShards(config);
  // Node serves the API reference's script itself; a Worker serves it as a static asset.
  const deps = {
    ...buildDeps({
      db: database.db,
      writer: database.writer,
      reader: database.reader,
      limiter: createLimiter(config, systemClock),
      config,
      clock: systemClock,
      log,
      webhookTransport: nodeTransport({ allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS }),
    }),
    docsScript: nodeDocsScript(),
  };
  // With DATABASE_SHARDS, the deps of every database by name (main first); else main's alone.
  const all = buildShardDeps(deps, shardDatabases);
  const { operator } = await prepare(deps);
  await prepareShards(deps);
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
  // The hot member read is answered without the app only on a single database (node-listener.ts).
  if (all.size === 1) memberReads = deps;
  appReady(all.size === 1 ? createServer(deps) : createShardedServer(all));

  // Expiry and clean-up every minute; the Workers entry runs the same jobs from its Cron Trigger.
  const jobs = setInterval(() => {
    runScheduledJobsEverywhere(deps).catch((error: unknown) =>
      log("error", "scheduled jobs failed", { error: String(error) }),
    );
  }, 60_000);
  jobs.unref();
  // Webhook retries fall due at 5 s, 5 min, ...: look for due attempts every second (an idle look is one read).
  const webhooks = setInterval(() => {
    for (const each of all.values()) each.webhooks.kick();
  }, 1000);
  webhooks.unref();

  /**
   * Stops taking connections, answers the requests under way (with `Connection: close`, see node-server.ts),
   * lets webhook attempts under way be recorded, closes the database and exits 0. Unsent webhook attempts
   * stay due for the next start.
   */
  let stopping = false;
  async function shutdown(signal: NodeJS.Signals): Promise<void> {
    // Ctrl-C under `npm start` reaches this process twice: from the terminal and forwarded by npm.
    if (stopping) return;
    stopping = true;
    const since = Date.now();
    let waitingFor = "requests under way";
    log("info", "shutting down", { signal, requests_in_flight: requests.inFlight() });
    clearInterval(jobs);
    clearInterval(webhooks);
    setTimeout(() => {
      log("error", "shutdown took too long; exiting anyway", {
        signal,
        after_ms: shutdownDeadlineMs,
        waiting_for: waitingFor,
        requests_in_flight: requests.inFlight(),
      });
      process.exit(1);
    }, shutdownDeadlineMs).unref();
    try {
      await requests.drain();
      waitingFor = "webhook attempts under way";
      await Promise.all([...all.values()].map((each) => each.webhooks.idle()));
      waitingFor = "the database to close";
      await Promise.all([database, ...shardDatabases.values()].map((each) => each.close()));
    } catch (error) {
      log("error", "shutdown failed", { signal, waiting_for: waitingFor, error: String(error) });
      process.exit(1);
    }
    log("info", "shut down", { signal, ms: Date.now() - since });
    process.exit(0);
  }
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);

  // Only now: whoever waits for this line may signal at once, and a signal before its handler kills outright.
  log("info", "listening", {
    url: `http://localhost:${port}`,
    docs: `http://localhost:${port}/docs`,
    public_url: config.PUBLIC_URL,
    database: shownDatabaseUrl(config.DATABASE_URL),
    ...(shardDatabases.size > 0 ? { shards: [...shardDatabases.keys()] } : {}),
  });
}
