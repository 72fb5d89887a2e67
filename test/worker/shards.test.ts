import { env } from "cloudflare:workers";
import type { D1Database } from "@cloudflare/workers-types";
import { describe, expect, it } from "vitest";
import { partnerId, plainMovement } from "../../bench/sim-movements";
import { openD1 } from "../../gateway/src/db/d1";
import { migrate } from "../../gateway/src/db/migrate";
import { findSaga } from "../../gateway/src/db/queries/conversion-sagas";
import { insertPlacementStatement } from "../../gateway/src/db/queries/program-placements";
import { d1Reader } from "../../gateway/src/db/reader";
import { mainDatabase, ShardRouter } from "../../gateway/src/db/shards/router";
import { type D1Like, d1Writer } from "../../gateway/src/db/writer";
import { commitMovement } from "../../gateway/src/domain/ledger/movement";
import { deliverMessages } from "../../gateway/src/domain/shards/relay";
import { reserveConversion } from "../../gateway/src/domain/shards/reserve";
import type { ShardDatabase } from "../../gateway/src/domain/shards/saga";
import type { IdPrefix } from "../../gateway/src/ids";
import { migrations } from "../../migrations";

// The router and the cross-database conversion saga (docs/scale-out.md) over two D1 databases in workerd: the
// domain steps and the relay as the Worker would run them, not yet through HTTP (the composition root is not wired).

const at = new Date(Date.UTC(2026, 0, 1));
let counter = 0;
const ids = (prefix: IdPrefix) => `${prefix}_${String(++counter).padStart(8, "0")}`;

async function shard(binding: string): Promise<ShardDatabase & { d1: D1Database }> {
  const d1 = env[binding] as D1Database | undefined;
  if (!d1) throw new Error(`no D1 binding ${binding} in the worker test environment`);
  await migrate(openD1(d1), migrations, at);
  return { d1, reader: d1Reader(d1 as unknown as D1Like), writer: d1Writer(d1 as unknown as D1Like) };
}

const balance = async (database: ShardDatabase, accountId: string) =>
  (await database.reader.first<{ balance: number }>("select balance from accounts where id = ?", [accountId]))
    ?.balance ?? 0;

describe("programs on two D1 databases", () => {
  it("routes each program to its database and converts between them exactly once", async () => {
    const main = await shard("SHARD_MAIN_DB");
    const eu = await shard("SHARD_EU_DB");
    await main.writer.write([insertPlacementStatement("prg_eu", "eu", at)]);
    const router = new ShardRouter(
      new Map([
        [mainDatabase, main],
        ["eu", eu],
      ]),
      main.reader,
    );
    expect(await router.databaseFor("prg_main")).toBe(main);
    expect(await router.databaseFor("prg_eu")).toBe(eu);
    expect(await router.sameDatabase("prg_main", "prg_eu")).toBe(false);

    await commitMovement(
      main.writer,
      plainMovement({ type: "earn", id: ids("txn"), programId: "prg_main", memberId: "mem_a", points: 500, at }),
    );
    const saga = {
      id: ids("cnv"),
      partnerId,
      fromProgramId: "prg_main",
      fromMemberId: "mem_a",
      toProgramId: "prg_eu",
      toMemberId: "mem_b",
      fromPoints: 200,
      toPoints: 100,
      holdTransactionId: ids("txn"),
      createdAt: at,
    };
    await reserveConversion(main, { saga, destinationExpiresAfterDays: null, ids });
    expect([await balance(main, "mem_a"), await balance(main, "mem_a:hold")]).toEqual([300, 200]);

    const databaseFor = (programId: string) => router.databaseFor(programId);
    const now = () => at;
    expect(await deliverMessages(main, databaseFor, ids, now)).toEqual({ delivered: 1, failures: [] });
    expect(await deliverMessages(eu, databaseFor, ids, now)).toEqual({ delivered: 1, failures: [] });
    expect((await findSaga(main.reader, saga.id))?.state).toBe("settled");

    // The credit order delivered again, as after a crash before it was marked: the destination's key keeps it once.
    await main.d1.prepare("update shard_messages set delivered_at = null where kind = 'credit'").run();
    expect(await deliverMessages(main, databaseFor, ids, now)).toEqual({ delivered: 1, failures: [] });
    expect(await deliverMessages(eu, databaseFor, ids, now)).toEqual({ delivered: 0, failures: [] });
    expect([await balance(main, "mem_a"), await balance(main, "mem_a:hold")]).toEqual([300, 0]);
    expect(await balance(main, "prg_main:conversions_out")).toBe(200);
    expect([await balance(eu, "mem_b"), await balance(eu, "prg_eu:conversions_in")]).toEqual([100, -100]);
  });
});
