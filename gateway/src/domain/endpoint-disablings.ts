import { adoptDisablingStatement, enabledEndpoints, runnerDisabledEndpoints } from "../db/queries/webhook-endpoints";
import type { Deps } from "../deps";

/**
 * Disables in the directory the webhook endpoints a shard's delivery runner disabled (410 Gone, or 5 days of
 * failures), so that the partner reads them disabled, every database stops sending to them, and the next directory
 * copy does not enable them again on that shard (docs/scale-out.md, section 1). The later change wins: a disabling is
 * not adopted when the directory's row changed after it, as an enabling by its partner does (that enabling then
 * reaches the shard with the copy). Nothing without shards; writes nothing when there is nothing to adopt. Returns
 * how many endpoints it disabled.
 */
export async function adoptShardDisablings(deps: Pick<Deps, "shards">): Promise<number> {
  const shards = deps.shards;
  if (!shards) return 0;
  const [main, ...others] = shards.names().map((name) => shards.deps(name));
  if (!main) return 0;
  const [enabled, ...disabledOnShards] = await Promise.all([
    enabledEndpoints(main.reader),
    ...others.map((shard) => runnerDisabledEndpoints(shard.reader)),
  ]);
  const changedAt = new Map(enabled.map((endpoint) => [endpoint.id, endpoint.updated_at]));
  const statements = disabledOnShards
    .flat()
    .filter((disabled) => (changedAt.get(disabled.id) ?? Number.POSITIVE_INFINITY) < disabled.updated_at)
    .map(adoptDisablingStatement);
  if (statements.length === 0) return 0;
  await main.writer.write(statements);
  return statements.length;
}
