import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkInvariants } from "../../bench/sim-check";
import { runSeed } from "../../bench/sim-run";
import { epoch, migratedTemplate, openWorld, partnerId, plainMovement, sequentialIds } from "../../bench/sim-world";
import { conversionInPosting } from "../../gateway/src/domain/conversions/postings";
import { commitMovement, commitUnit } from "../../gateway/src/domain/ledger/movement";
import { deliverMessages } from "../../gateway/src/domain/shards/relay";
import { reserveConversion } from "../../gateway/src/domain/shards/reserve";
import { type Saga, sagaPostingContext } from "../../gateway/src/domain/shards/saga";

// A few seeds of `npm run sim` (bench/sim.ts), which runs many more; a failing seed replays with `npm run sim -- --seed S`.
describe("the cross-shard simulation", () => {
  let template: Awaited<ReturnType<typeof migratedTemplate>>;
  beforeAll(async () => {
    template = await migratedTemplate();
  });
  afterAll(() => template.remove());

  it.each([1, 2, 3, 4, 5])("keeps every invariant under faults with seed %i", async (seed) => {
    const result = await runSeed(seed, template.path);
    expect(result.violations).toEqual([]);
    expect(result.stats.reserved).toBeGreaterThan(0);
  });

  it("sees a conversion credited twice, so a pass means something", async () => {
    const world = await openWorld(
      template.path,
      { shardCount: 2, programsPerShard: 1, membersPerProgram: 1 },
      () => 0.5,
    );
    try {
      const [source, destination] = world.shards;
      if (!source || !destination) throw new Error("two shards expected");
      const ids = sequentialIds();
      const at = new Date(epoch);
      const [from, to] = [source.programs[0] ?? "", destination.programs[0] ?? ""];
      const fromMemberId = world.members.get(from)?.[0] ?? "";
      await commitMovement(
        source.database.writer,
        plainMovement({ type: "earn", id: ids("txn"), programId: from, memberId: fromMemberId, points: 100, at }),
      );
      const saga: Saga = {
        id: ids("cnv"),
        partnerId,
        fromProgramId: from,
        fromMemberId,
        toProgramId: to,
        toMemberId: world.members.get(to)?.[0] ?? "",
        fromPoints: 40,
        toPoints: 20,
        holdTransactionId: ids("txn"),
        createdAt: at,
      };
      await reserveConversion(source.database, { saga, destinationExpiresAfterDays: null, ids });
      const databaseFor = async (programId: string) => (await world.router.databaseFor(programId)).database;
      for (const shard of [source, destination, source])
        await deliverMessages(shard.database, databaseFor, ids, () => at);
      expect(await checkInvariants(world.shards, { quiescent: true })).toEqual([]);

      // The same credit once more, bypassing the destination's key.
      await commitUnit(destination.database.writer, {
        postings: [conversionInPosting(sagaPostingContext(saga, at), ids("txn"))],
        events: [],
        body: {},
        status: 200,
      });
      const problems = await checkInvariants(world.shards, { quiescent: true });
      expect(problems.some((problem) => problem.includes(`saga ${saga.id} (settled)`))).toBe(true);
      expect(problems.some((problem) => problem.includes("points converted in, sagas credited"))).toBe(true);
    } finally {
      await world.close();
    }
  });
});
