/**
 * `npm run operator:rotate`: recovers operator access to the configured database (DATABASE_URL, default
 * ./data/gateway.db), for a lost or leaked operator credential. In one atomic write it leaves exactly one
 * operator credential valid and revokes every other; their access tokens are refused from the next request
 * on, also by a gateway that is running on the same database.
 *
 * The credential kept is a new generated one, printed once, unless OPERATOR_CLIENT_ID and
 * OPERATOR_CLIENT_SECRET are set: then it is that configured credential, as the gateway's start-up would
 * (re)create it, so that a gateway run with these settings does not bring back a second credential.
 */

import { systemClock } from "../gateway/src/clock";
import { type Config, parseConfig } from "../gateway/src/config";
import { migrate } from "../gateway/src/db/migrate";
import { rotateOperatorCredential } from "../gateway/src/domain/operator-credentials";
import { openNodeDatabase, shownDatabaseUrl } from "../gateway/src/node-database";
import { exitOnStartError } from "../gateway/src/start-error";
import { migrations } from "../migrations";

const settingsHint = "`npm start -- --help` lists every setting.";
let config: Config;
try {
  config = parseConfig(process.env);
} catch (error) {
  exitOnStartError(error, settingsHint);
}
const { db, close } = await openNodeDatabase(config).catch((error) => exitOnStartError(error, settingsHint));
await migrate(db, migrations, systemClock.now());

const { OPERATOR_CLIENT_ID: configuredId, OPERATOR_CLIENT_SECRET: configuredSecret } = config;
const configured = configuredId && configuredSecret ? { clientId: configuredId, secret: configuredSecret } : undefined;
const { clientId, secret, revoked } = await rotateOperatorCredential({ db, clock: systemClock }, configured);
await close();

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
