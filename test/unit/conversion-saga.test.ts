import { afterEach, describe, expect, it } from "vitest";
import { partnerId, plainMovement } from "../../bench/sim-world";
import { openLibsql } from "../../gateway/src/db/libsql";
import { migrate } from "../../gateway/src/db/migrate";
import { findSaga, findUndeliveredMessages } from "../../gateway/src/db/queries/conversion-sagas";
import { holdPosting, releasePosting } from "../../gateway/src/domain/conversions/postings";
import { commitMovement, commitUnit } from "../../gateway/src/domain/ledger/movement";
import { creditConversion } from "../../gateway/src/domain/shards/credit";
import { finishConversion } from "../../gateway/src/domain/shards/finish";
import { creditOrderOf, creditReplyOf } from "../../gateway/src/domain/shards/messages";
import { deliverMessages, drainMessages } from "../../gateway/src/domain/shards/relay";
import { reserveConversion, startHeldConversion } from "../../gateway/src/domain/shards/reserve";
import { type Saga, SagaStepTaken, sagaPostingContext } from "../../gateway/src/domain/shards/saga";
import { ApiError } from "../../gateway/src/errors";
import type { IdPrefix } from "../../gateway/src/ids";
import { migrations } from "../../migrations";

const at = new Date(Date.UTC(2026, 0, 1));
let counter = 0;
const ids = (prefix: IdPrefix) => `${prefix}_${String(++counter).padStart(8, "0")}`;

const sagaOf = (fromPoints: number): Saga => ({
  id: ids("cnv"),
  partnerId,
  fromProgramId: "prg_src",
  fromMemberId: "mem_src",
  toProgramId: "prg_dst",
  toMemberId: "mem_dst",
  fromPoints,
  toPoints: fromPoints / 2,
  holdTransactionId: ids("txn"),
  createdAt: at,
});

describe("the cross-database conversion saga", () => {
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });

  async function database() {
    const opening = await openLibsql(":memory:");
    opened.push(opening.close);
    await migrate(opening.db, migrations, at);
    return opening;
  }

  const earn = (db: Awaited<ReturnType<typeof database>>, programId: string, memberId: string, points: number) =>
    commitMovement(db.writer, plainMovement({ type: "earn", id: ids("txn"), programId, memberId, points, at }));

  const balance = async (db: Awaited<ReturnType<typeof database>>, accountId: string) =>
    Number(
      (await db.reader.first<{ balance: number }>("select balance from accounts where id = ?", [accountId]))?.balance ??
        0,
    );

  async function reserved() {
    const source = await database();
    const destination = await database();
    await earn(source, "prg_src", "mem_src", 500);
    const saga = sagaOf(200);
    await reserveConversion(source, { saga, destinationExpiresAfterDays: null, ids });
    return { source, destination, saga };
  }

  it("drains more than a round's messages in one run, past those to a database that is down", async () => {
    const source = await database();
    const destination = await database();
    const down = await database();
    const attempts = { down: 0 };
    down.writer.write = () => {
      attempts.down++;
      return Promise.reject(new Error("the database cannot be reached"));
    };
    await earn(source, "prg_src", "mem_src", 1_000);
    // The oldest 120 go to the database that is down: one round of 100 would deliver nothing else.
    for (const toProgramId of [...Array(120).fill("prg_down"), ...Array(130).fill("prg_dst")])
      await reserveConversion(source, { saga: { ...sagaOf(2), toProgramId }, destinationExpiresAfterDays: null, ids });
    const databaseFor = async (programId: string) => (programId === "prg_down" ? down : destination);

    const run = await drainMessages(source, databaseFor, ids, () => at, { limit: 100, budgetMs: 60_000 });
    expect({ delivered: run.delivered, failures: run.failures.length, skipped: run.skipped }).toEqual({
      delivered: 130,
      failures: 1,
      skipped: 119,
    });
    expect(await balance(destination, "mem_dst")).toBe(130);
    expect(await findUndeliveredMessages(source.reader, 500)).toHaveLength(120);
    // Tried once, then skipped for the rest of the run.
    expect(attempts.down).toBe(1);
  });

  it("reserves as a hold, credits once however often the order comes, and settles once", async () => {
    const { source, destination, saga } = await reserved();
    expect(await balance(source, "mem_src")).toBe(300);
    expect(await balance(source, "mem_src:hold")).toBe(200);
    const [order] = await findUndeliveredMessages(source.reader, 10);
    if (!order) throw new Error("no credit order");
    expect(await creditConversion(destination, creditOrderOf(order), ids, at)).toEqual({
      sagaId: saga.id,
      outcome: "credited",
    });
    await expect(creditConversion(destination, creditOrderOf(order), ids, at)).rejects.toBeInstanceOf(SagaStepTaken);
    expect(await balance(destination, "mem_dst")).toBe(100);

    const [reply] = await findUndeliveredMessages(destination.reader, 10);
    if (!reply) throw new Error("no reply");
    expect(await finishConversion(source, creditReplyOf(reply), ids, at)).toBe("settled");
    await expect(finishConversion(source, creditReplyOf(reply), ids, at)).rejects.toBeInstanceOf(SagaStepTaken);
    expect(await balance(source, "mem_src:hold")).toBe(0);
    expect(await balance(source, "prg_src:conversions_out")).toBe(200);
    expect(await balance(destination, "prg_dst:conversions_in")).toBe(-100);
  });

  it("gives the points back when the destination refuses, and never credits afterwards", async () => {
    const { source, destination, saga } = await reserved();
    await destination.client.execute(
      "insert into partners (id, name, contact_email, created_at) values ('ptn_sim', 'A', 'a@example.com', 0)",
    );
    await destination.client.execute(
      `insert into programs (id, partner_id, name, point_name, settlement_currency, issue_price_micros, redeem_price_micros,
         created_at) values ('prg_dst', 'ptn_sim', 'D', 'points', 'USD', 1, 1, 0)`,
    );
    await destination.client.execute(
      `insert into members (id, program_id, external_id, enrolled_by, erased_at, created_at)
       values ('mem_dst', 'prg_dst', 'x', 'ptn_sim', 1, 0)`,
    );
    const databaseFor = async (programId: string) => (programId === "prg_src" ? source : destination);
    const now = () => at;
    expect(await deliverMessages(source, databaseFor, ids, now)).toEqual({ delivered: 1, failures: [] });
    expect(await deliverMessages(destination, databaseFor, ids, now)).toEqual({ delivered: 1, failures: [] });
    expect((await findSaga(source.reader, saga.id))?.state).toBe("compensated");
    expect(await balance(source, "mem_src")).toBe(500);
    expect(await balance(source, "mem_src:hold")).toBe(0);
    expect(await balance(destination, "mem_dst")).toBe(0);
    expect(await deliverMessages(source, databaseFor, ids, now)).toEqual({ delivered: 0, failures: [] });
  });

  it("starts an approved held conversion from its hold once, and never from a released one", async () => {
    const source = await database();
    await earn(source, "prg_src", "mem_src", 500);
    const unit = (posting: ReturnType<typeof holdPosting>) => ({
      postings: [posting],
      events: [],
      body: {},
      status: 200,
    });
    const approved = sagaOf(200);
    await commitUnit(source.writer, unit(holdPosting(sagaPostingContext(approved, at), approved.holdTransactionId)));
    await startHeldConversion(source, { saga: approved, destinationExpiresAfterDays: null, ids });
    expect((await findSaga(source.reader, approved.id))?.state).toBe("reserved");
    expect(await balance(source, "mem_src:hold")).toBe(200);
    await expect(
      startHeldConversion(source, { saga: { ...approved, id: ids("cnv") }, destinationExpiresAfterDays: null, ids }),
    ).rejects.toSatisfy((error) => error instanceof ApiError && error.code === "invalid_state");

    const rejected = sagaOf(100);
    const context = sagaPostingContext(rejected, at);
    await commitUnit(source.writer, unit(holdPosting(context, rejected.holdTransactionId)));
    await commitUnit(source.writer, unit(releasePosting(context, ids("txn"), rejected.holdTransactionId)));
    await expect(
      startHeldConversion(source, { saga: rejected, destinationExpiresAfterDays: null, ids }),
    ).rejects.toSatisfy((error) => error instanceof ApiError && error.code === "invalid_state");
    expect(await findSaga(source.reader, rejected.id)).toBeUndefined();
  });

  it("refuses to reserve more than the member has", async () => {
    const source = await database();
    await earn(source, "prg_src", "mem_src", 50);
    const saga = sagaOf(200);
    await expect(reserveConversion(source, { saga, destinationExpiresAfterDays: null, ids })).rejects.toSatisfy(
      (error) => error instanceof ApiError && error.code === "insufficient_points",
    );
    expect(await findSaga(source.reader, saga.id)).toBeUndefined();
    expect(await findUndeliveredMessages(source.reader, 10)).toEqual([]);
  });
});
