/**
 * Held conversions in the simulation (bench/sim-run.ts): some conversions are held for the operator's review (a hold
 * posting, as domain/conversions/execute.ts writes with its review), and later approved, which starts the saga from
 * that hold (startHeldConversion), or rejected, which releases it. The queue stands for the reviews table, so a crash
 * keeps it; a hold whose answer was lost is looked up before it is decided, as the review row would only exist with it.
 */
import { holdOpenStatement } from "../gateway/src/db/queries/conversion-sagas";
import { ConstraintViolation } from "../gateway/src/db/writer";
import { holdPosting, releasePosting } from "../gateway/src/domain/conversions/postings";
import { commitUnit } from "../gateway/src/domain/ledger/movement";
import { startHeldConversion } from "../gateway/src/domain/shards/reserve";
import { type Saga, sagaPostingContext } from "../gateway/src/domain/shards/saga";
import { ApiError } from "../gateway/src/errors";
import type { NewId } from "../gateway/src/ids";
import { ShardUnavailable, type SimShard, type World } from "./sim-world";

type Context = { world: World; ids: NewId; now: () => Date; random: () => number };

export function reviewDesk({ world, ids, now, random }: Context) {
  const queue: { saga: Saga; source: SimShard }[] = [];
  const counts = { held: 0, approved: 0, rejected: 0 };

  /** Holds the points of a conversion for review; an ApiError (too few points) means it was never held. */
  async function hold(saga: Saga): Promise<void> {
    const source = await world.router.databaseFor(saga.fromProgramId);
    try {
      await commitUnit(source.database.writer, {
        postings: [holdPosting(sagaPostingContext(saga, saga.createdAt), saga.holdTransactionId)],
        events: [],
        body: {},
        status: 202,
      });
      queue.push({ saga, source });
      counts.held++;
    } catch (error) {
      if (error instanceof ShardUnavailable) queue.push({ saga, source });
      else if (!(error instanceof ApiError)) throw error;
    }
  }

  /** Decides one waiting review: approve (start the saga from the hold) or reject (release it), once. */
  async function decide(): Promise<void> {
    const index = Math.floor(random() * queue.length);
    const review = queue[index];
    if (!review) return;
    const { saga, source } = review;
    const held = await source.client.execute({
      sql: "select 1 from ledger_transactions where id = ?",
      args: [saga.holdTransactionId],
    });
    if (held.rows.length === 0) {
      queue.splice(index, 1);
      return;
    }
    try {
      if (random() < 0.7) {
        await startHeldConversion(source.database, {
          saga: { ...saga, createdAt: now() },
          destinationExpiresAfterDays: null,
          ids,
        });
        counts.approved++;
      } else {
        await commitUnit(source.database.writer, {
          guards: [holdOpenStatement(saga.holdTransactionId)],
          postings: [releasePosting(sagaPostingContext(saga, now()), ids("txn"), saga.holdTransactionId)],
          events: [],
          body: {},
          status: 200,
        });
        counts.rejected++;
      }
      queue.splice(index, 1);
    } catch (error) {
      if (error instanceof ShardUnavailable) return;
      if (error instanceof ApiError && error.code === "invalid_state") {
        queue.splice(index, 1);
        return;
      }
      // A retry of a decision whose answer was lost, drawn afresh so it may differ: the saga exists or the hold is
      // released, and the hold-open guard lets only the first decision count.
      if (error instanceof ConstraintViolation) queue.splice(index, 1);
      else throw error;
    }
  }

  return { hold, decide, counts, waiting: () => queue.length };
}
