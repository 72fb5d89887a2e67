import type { Deps, Shards } from "../../deps";
import type { ProgramDatabase } from "../shards/relay";

/**
 * The deps of the destination program's database when it is not this one (docs/scale-out.md): the conversion then
 * runs as a saga. Undefined with one database, or when both programs share it (one atomic write, as ever).
 */
export async function otherDatabase(deps: Pick<Deps, "shards">, programId: string): Promise<Deps | undefined> {
  const { shards } = deps;
  if (!shards) return undefined;
  const name = await shards.nameFor(programId);
  return name === shards.here ? undefined : shards.deps(name);
}

/** The relay's way to a program's database. */
export const programDatabase =
  (shards: Shards): ProgramDatabase =>
  async (programId) =>
    shards.deps(await shards.nameFor(programId));
