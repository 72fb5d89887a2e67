import { drive } from "./drive";
import { seedReferenceDatabase, startReference } from "./reference";
import type { ScenarioResult } from "./report";
import { type ScenarioName, settings } from "./settings";

/** The scenarios the plain reference serves too (issue 22 compares the gateway with it on these). */
const referenced: ScenarioName[] = ["earn", "burn", "balance"];

export type Reference = Awaited<ReturnType<typeof startReferenceFor>>;

/** The reference on its own database, seeded like the gateway's. */
export async function startReferenceFor(members: number) {
  const database = await seedReferenceDatabase(members);
  const server = await startReference(database.file, database.programId);
  return {
    ...server,
    ...database,
    async stop() {
      await server.stop();
      database.remove();
    },
  };
}

/**
 * The reference's run of a scenario, right after the gateway's and with the same settings, so the two meet the same
 * machine (this VM drifts by 10-20% between minutes). The process's CPU time counts the reference alone: the gateway
 * is idle meanwhile.
 */
export async function referenceFor(
  reference: Reference | undefined,
  name: ScenarioName,
): Promise<ScenarioResult["reference"]> {
  if (!reference || !referenced.includes(name)) return undefined;
  const { connections, seconds, warmupSeconds } = settings;
  const target = {
    url: reference.url,
    token: reference.token,
    programId: reference.programId,
    memberPrefix: reference.memberPrefix,
    members: settings.members,
  };
  if (warmupSeconds > 0) await drive({ kind: name, target, connections, seconds: warmupSeconds });
  const cpuBefore = process.cpuUsage();
  const load = await drive({ kind: name, target, connections, seconds });
  const cpu = process.cpuUsage(cpuBefore);
  return { load, cpuMicros: cpu.user + cpu.system };
}
