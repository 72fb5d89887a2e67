/**
 * `npm run operator:rotate`: recovers operator access to the configured database (DATABASE_URL, default
 * ./data/gateway.db), for a lost or leaked operator credential. In one atomic write it leaves exactly one
 * operator credential valid and revokes every other; their access tokens are refused from the next request
 * on, also by a gateway that is running on the same database.
 *
 * The credential kept is a new generated one, printed once, unless OPERATOR_CLIENT_ID and
 * OPERATOR_CLIENT_SECRET are set: then it is that configured credential, as the gateway's start-up would
 * (re)create it, so that a gateway run with these settings does not bring back a second credential.
 *
 * With DATABASE_SHARDS, the shards hold copies of the credentials (docs/scale-out.md, section 1), which a running
 * gateway's own copy would bring up to date only at its next directory write or scheduled run: the script copies the
 * directory to every shard before it ends, and exits 1 when a shard cannot be reached.
 */

import { systemClock } from "../gateway/src/clock";
import { type Config, parseConfig } from "../gateway/src/config";
import { migrate } from "../gateway/src/db/migrate";
import { buildDeps, buildShardDeps } from "../gateway/src/deps";
import { copyDirectoryToShards } from "../gateway/src/domain/directory-copy";
import { rotateOperatorCredential } from "../gateway/src/domain/operator-credentials";
import { createLimiter } from "../gateway/src/limits/create";
import { createLog } from "../gateway/src/log";
import { openNodeDatabase, openNodeShards, shownDatabaseUrl } from "../gateway/src/node-database";
import { exitOnStartError, rootMessage } from "../gateway/src/start-error";
import { migrations } from "../migrations";

const settingsHint = "`npm start -- --help` lists every setting.";
let config: Config;
try {
  config = parseConfig(process.env);
} catch (error) {
  exitOnStartError(error, settingsHint);
}
const main = await openNodeDatabase(config).catch((error) => exitOnStartError(error, settingsHint));
const shardDatabases = await openNodeShards(config).catch((error) => exitOnStartError(error, settingsHint));
const { db } = main;
for (const database of [main, ...shardDatabases.values()]) await migrate(database.db, migrations, systemClock.now());

const { OPERATOR_CLIENT_ID: configuredId, OPERATOR_CLIENT_SECRET: configuredSecret } = config;
const configured = configuredId && configuredSecret ? { clientId: configuredId, secret: configuredSecret } : undefined;
const { clientId, secret, revoked } = await rotateOperatorCredential({ db, clock: systemClock }, configured);

const where = shownDatabaseUrl(config.DATABASE_URL);
console.log(
  secret
    ? [
        `New operator credential for ${where}. It is shown only this once; keep it safe:`,
        `  OPERATOR_CLIENT_ID=${clientId}`,
        `  OPERATOR_CLIENT_SECRET=${secret}`,
      ].join("\n")
    : [
        `The configured credential OPERATOR_CLIENT_ID=${clientId} is now the only operator credential of ${where}.`,
        "(OPERATOR_CLIENT_ID and OPERATOR_CLIENT_SECRET are set here; unset both to get a new generated credential.)",
      ].join("\n"),
);
console.log(
  revoked.length > 0
    ? `Revoked every other operator credential: ${revoked.join(", ")}. Their access tokens are refused from now on.`
    : "No other operator credential was valid.",
);

if (shardDatabases.size > 0) {
  const deps = buildDeps({
    ...main,
    limiter: createLimiter(config, systemClock),
    config,
    clock: systemClock,
    log: createLog(config.LOG_LEVEL),
  });
  buildShardDeps(deps, shardDatabases);
  const shards = [...shardDatabases.keys()].join(", ");
  await copyDirectoryToShards(deps).then(
    () => console.log(`Copied to the shards (${shards}): the revoked credentials are refused there too.`),
    (error: unknown) => {
      console.error(
        `Cannot copy the directory to the shards (${shards}): ${rootMessage(error)}. A shard accepts the revoked ` +
          "credentials until a gateway's next directory write or scheduled run copies it; run this again.",
      );
      process.exitCode = 1;
    },
  );
}
await Promise.all([main, ...shardDatabases.values()].map((database) => database.close()));
