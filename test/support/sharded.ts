import { copyFileSync, existsSync } from "node:fs";
import { insertPlacementStatement } from "../../gateway/src/db/queries/program-placements";
import { ShardRouter } from "../../gateway/src/db/shards/router";
import type { Deps } from "../../gateway/src/deps";
import { createTestGateway, type TestGateway } from "./gateway";

/**
 * Two in-process gateways on two database files, `main` (the directory, and the default shard) and `eu`, each of whose
 * deps sees the other through `shards` as a sharded deployment's do (docs/scale-out.md). `setup` runs on one database
 * before it is copied, so both hold what it made (partners, credentials, signing keys, programs, rates: the directory
 * and its copies); what the test does afterwards lands on the database it calls. `placeOnEu` places programs on `eu`.
 */
export async function createShardedGateways<T>(
  setup: (gw: TestGateway) => Promise<T>,
  placeOnEu: (made: T) => string[],
) {
  const template = await createTestGateway();
  const made = await setup(template);
  await template.close();
  const file = template.config.DATABASE_URL.slice("file:".length);
  const euFile = `${file}.eu`;
  for (const suffix of ["", "-wal"])
    if (existsSync(`${file}${suffix}`)) copyFileSync(`${file}${suffix}`, `${euFile}${suffix}`);

  const main = await createTestGateway({ DATABASE_URL: `file:${file}` });
  const eu = await createTestGateway({ DATABASE_URL: `file:${euFile}` });
  const now = main.clock.now();
  await main.deps.writer.write(placeOnEu(made).map((programId) => insertPlacementStatement(programId, "eu", now)));
  const all = new Map<string, Deps>([
    ["main", main.deps],
    ["eu", eu.deps],
  ]);
  const router = new ShardRouter(all, main.deps.reader);
  for (const [here, deps] of all)
    deps.shards = {
      here,
      nameFor: (programId) => router.nameFor(programId),
      deps: (name) => router.database(name),
      names: () => router.names(),
    };
  const close = async () => {
    await main.close();
    await eu.close();
  };
  return { main, eu, made, close };
}
