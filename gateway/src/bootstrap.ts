import { migrations } from "../../migrations";
import { migrate } from "./db/migrate";
import { listValidOperatorClientIds } from "./db/queries/credentials";
import type { Deps } from "./deps";
import { relayConversionSagasEverywhere } from "./domain/conversions/relay";
import { copyDirectoryToShards } from "./domain/directory-copy";
import { createOperatorCredential, ensureConfiguredOperator, type OperatorSecret } from "./domain/operator-credentials";

/**
 * Start-up work shared by Node and Workers: apply migrations, make sure a signing key exists, and make
 * sure an operator can sign in. Returns a generated operator credential so the entry can print it once.
 */
export async function prepare(deps: Deps): Promise<{ operator?: OperatorSecret }> {
  await migrate(deps.db, migrations, deps.clock.now());
  await deps.keys.ensureActiveKey();
  const operator = await ensureOperatorCredential(deps);
  await reportOperatorCredentials(deps);
  return { operator };
}

/**
 * After `prepare` of main, in a sharded deployment: migrates every further database (a refused or unreachable
 * migration stops the start, as main's does) and copies the directory to it, which also repairs a copy a crash
 * interrupted, then, unless `relay` is false, relays the conversion sagas' messages, so that a saga a crash cut
 * finishes now. A copy or relay that fails (a shard down since its migration) is logged and left to the scheduled
 * runs, which do both again: one shard down must not stop the others' programs being served. Nothing with one database.
 */
export async function prepareShards(deps: Deps, options: { relay?: boolean } = {}): Promise<void> {
  const shards = deps.shards;
  if (!shards) return;
  for (const name of shards.names().slice(1)) await migrate(shards.deps(name).db, migrations, deps.clock.now());
  const leftToScheduledRuns = (work: string) => (error: unknown) =>
    deps.log("error", `${work} at start failed; the scheduled runs try again`, { error: String(error) });
  await copyDirectoryToShards(deps).catch(leftToScheduledRuns("directory copy"));
  if (options.relay !== false)
    await relayConversionSagasEverywhere(deps).catch(leftToScheduledRuns("conversion saga relay"));
}

/**
 * The configured credential wins: created if absent, its secret updated (and un-revoked) if it changed.
 * Without one, a credential is generated on the first start only.
 */
async function ensureOperatorCredential(deps: Deps): Promise<OperatorSecret | undefined> {
  const { OPERATOR_CLIENT_ID: clientId, OPERATOR_CLIENT_SECRET: secret } = deps.config;
  if (clientId && secret) {
    await ensureConfiguredOperator(deps, { clientId, secret });
    return undefined;
  }
  if ((await listValidOperatorClientIds(deps.db)).length > 0) return undefined;
  return createOperatorCredential(deps);
}

/**
 * Every start names the operator credentials that can sign in (client ids, never secrets). Configuring a
 * credential does not revoke the others, since a second gateway or a script may still use them; when there
 * are others, the start warns and names the command that revokes them.
 */
async function reportOperatorCredentials(deps: Deps): Promise<void> {
  const clientIds = await listValidOperatorClientIds(deps.db);
  deps.log("info", "operator credentials", { client_ids: clientIds });
  const configured = deps.config.OPERATOR_CLIENT_ID;
  const others = clientIds.filter((clientId) => clientId !== configured);
  if (configured && others.length > 0)
    deps.log("warn", "operator credentials other than OPERATOR_CLIENT_ID can sign in", {
      configured,
      others,
      fix: "`npm run operator:rotate` with the same OPERATOR_CLIENT_ID and OPERATOR_CLIENT_SECRET revokes them",
    });
}
