/**
 * One seed of the simulation (bench/sim.ts): a seeded history of earns, burns and cross-shard conversions over the
 * world of ./sim-world.ts, with the saga's messages carried by a network that duplicates, reorders, loses answers,
 * finds shards down and forgets everything in flight when the process "crashes"; then every shard up, the relay
 * drained, and every invariant checked (./sim-check.ts).
 */
import {
  findUndeliveredMessages,
  markDeliveredStatement,
  type ShardMessageRow,
} from "../gateway/src/db/queries/conversion-sagas";
import { ConstraintViolation } from "../gateway/src/db/writer";
import { commitMovement } from "../gateway/src/domain/ledger/movement";
import { deliverMessages, receiveMessage } from "../gateway/src/domain/shards/relay";
import { reserveConversion } from "../gateway/src/domain/shards/reserve";
import type { Saga } from "../gateway/src/domain/shards/saga";
import { ApiError } from "../gateway/src/errors";
import { seededRandom } from "./random";
import { checkInvariants } from "./sim-check";
import { reviewDesk } from "./sim-reviews";
import {
  epoch,
  eraseMember,
  openWorld,
  partnerId,
  plainMovement,
  ShardUnavailable,
  type SimShard,
  sequentialIds,
} from "./sim-world";

export type SimOptions = { ops: number; shardCount: number; programsPerShard: number; membersPerProgram: number };

export const defaultSimOptions: SimOptions = { ops: 400, shardCount: 3, programsPerShard: 2, membersPerProgram: 6 };

export type SeedResult = {
  seed: number;
  violations: string[];
  stats: Record<
    | "earns"
    | "burns"
    | "reserved"
    | "held"
    | "approved"
    | "rejected"
    | "refused"
    | "crashes"
    | "outages"
    | "duplicates"
    | "erasures",
    number
  >;
};

type InFlight = { message: ShardMessageRow; from: SimShard };

/** Faults per step; each seed draws its own rates from these ranges so seeds differ in kind, not only in order. */
const faultRates = (random: () => number) => ({
  outage: 0.01 + random() * 0.03,
  crash: random() * 0.03,
  duplicate: random() * 0.2,
  lateDuplicate: random() * 0.05,
  crashBeforeMark: random() * 0.15,
  lostAnswers: random() < 0.5 ? 0 : random() * 0.1,
  erasure: random() * 0.01,
  review: random() * 0.3,
});

export async function runSeed(seed: number, template: string, options: SimOptions = defaultSimOptions) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const rates = faultRates(random);
  const world = await openWorld(template, options, random);
  const ids = sequentialIds();
  const stats: SeedResult["stats"] = {
    earns: 0,
    burns: 0,
    reserved: 0,
    held: 0,
    approved: 0,
    rejected: 0,
    refused: 0,
    crashes: 0,
    outages: 0,
    duplicates: 0,
    erasures: 0,
  };
  const violations: string[] = [];
  let step = 0;
  const now = () => new Date(epoch + step * 1000);
  const downUntil = new Map<SimShard, number>();
  // The process's memory: what the network carries and the conversions a client still retries. A crash loses it.
  let inFlight: InFlight[] = [];
  let retrying: Saga[] = [];
  const delivered: InFlight[] = [];
  for (const shard of world.shards) shard.lostAnswers = rates.lostAnswers;
  const reviews = reviewDesk({ world, ids, now, random });

  const unexpected = (what: string, error: unknown) => {
    if (error instanceof ShardUnavailable) return;
    violations.push(`step ${step}: ${what} failed unexpectedly: ${error instanceof Error ? error.message : error}`);
  };

  const move = async (type: "earn" | "burn") => {
    const shard = pick(world.shards);
    const programId = pick(shard.programs);
    const memberId = pick(world.members.get(programId) ?? []);
    const points = 1 + Math.floor(random() * (type === "earn" ? 300 : 200));
    try {
      await commitMovement(
        shard.database.writer,
        plainMovement({ type, id: ids("txn"), programId, memberId, points, at: now() }),
      );
      stats[type === "earn" ? "earns" : "burns"]++;
    } catch (error) {
      if (!(error instanceof ApiError)) unexpected(type, error);
    }
  };

  /** Step 1 as a client drives it: a lost answer is retried with the same saga, as with an Idempotency-Key. */
  const reserve = async (saga: Saga) => {
    const source = await world.router.databaseFor(saga.fromProgramId);
    try {
      await reserveConversion(source.database, { saga, destinationExpiresAfterDays: null, ids });
      stats.reserved++;
      if (random() < 0.7) await fetch(source);
    } catch (error) {
      if (error instanceof ShardUnavailable) retrying.push(saga);
      else if (error instanceof ConstraintViolation && error.constraint === "conversion_sagas.id") stats.reserved++;
      else if (!(error instanceof ApiError)) unexpected("reserve", error);
    }
  };

  const convert = async () => {
    const from = pick(world.shards);
    const to = pick(world.shards.filter((shard) => shard !== from));
    const fromProgramId = pick(from.programs);
    const toProgramId = pick(to.programs);
    const fromPoints = 1 + Math.floor(random() * 150);
    await (random() < rates.review ? reviews.hold : reserve)({
      id: ids("cnv"),
      partnerId,
      fromProgramId,
      fromMemberId: pick(world.members.get(fromProgramId) ?? []),
      toProgramId,
      toMemberId: pick(world.members.get(toProgramId) ?? []),
      fromPoints,
      toPoints: 1 + Math.floor(fromPoints / 2),
      holdTransactionId: ids("txn"),
      createdAt: now(),
    });
  };

  /** The relay reads a shard's undelivered messages into the network, some of them twice. */
  const fetch = async (shard: SimShard) => {
    try {
      for (const message of await findUndeliveredMessages(shard.database.reader, 20)) {
        inFlight.push({ message, from: shard });
        if (random() < rates.duplicate) {
          inFlight.push({ message, from: shard });
          stats.duplicates++;
        }
      }
    } catch (error) {
      unexpected("fetch", error);
    }
  };

  /** The network delivers any message in flight (so out of order), then the sender marks it, unless a crash or an outage comes between. */
  const deliver = async () => {
    if (random() < rates.lateDuplicate && delivered.length > 0) {
      inFlight.push(pick(delivered));
      stats.duplicates++;
    }
    if (inFlight.length === 0) return;
    const [flight] = inFlight.splice(Math.floor(random() * inFlight.length), 1);
    if (!flight) return;
    try {
      const target = await world.router.databaseFor(flight.message.toProgramId);
      await receiveMessage(target.database, flight.message, ids, now());
      delivered.push(flight);
      if (random() < rates.crashBeforeMark) return;
      await flight.from.database.writer.write([markDeliveredStatement(flight.message.id, now())]);
    } catch (error) {
      unexpected(`delivering ${flight.message.kind} of ${flight.message.sagaId}`, error);
    }
  };

  const faults = async () => {
    for (const [shard, until] of downUntil)
      if (step >= until) {
        shard.down = false;
        downUntil.delete(shard);
      }
    if (random() < rates.outage) {
      const shard = pick(world.shards);
      shard.down = true;
      downUntil.set(shard, step + 5 + Math.floor(random() * 40));
      stats.outages++;
    }
    if (random() < rates.crash) {
      inFlight = [];
      retrying = [];
      stats.crashes++;
    }
    if (random() < rates.erasure) {
      const shard = pick(world.shards);
      await eraseMember(shard, pick(world.members.get(pick(shard.programs)) ?? []), now());
      stats.erasures++;
    }
  };

  try {
    // Once mid-run, with sagas in flight and shards perhaps down: every invariant but quiescence holds at any moment.
    const midway = 1 + Math.floor(random() * options.ops);
    for (step = 1; step <= options.ops; step++) {
      if (step === midway)
        violations.push(
          ...(await checkInvariants(world.shards, { quiescent: false })).map((problem) => `step ${step}: ${problem}`),
        );
      await faults();
      const roll = random();
      if (roll < 0.3) await move("earn");
      else if (roll < 0.42) await move("burn");
      else if (roll < 0.62) await convert();
      else if (roll < 0.7 && retrying.length > 0) await reserve(retrying.shift() as Saga);
      else if (roll < 0.74 && reviews.waiting() > 0) await reviews.decide();
      else if (roll < 0.8) await fetch(pick(world.shards));
      else await deliver();
    }
    // Every shard up and answering, the client's retries done, the relay drained: the saga must have finished.
    for (const shard of world.shards) {
      shard.down = false;
      shard.lostAnswers = 0;
    }
    for (const saga of retrying.splice(0)) await reserve(saga);
    stats.held = reviews.counts.held;
    stats.approved = reviews.counts.approved;
    stats.rejected = reviews.counts.rejected;
    stats.refused = await drain(world.shards, world.router, ids, now, violations);
    violations.push(...(await checkInvariants(world.shards, { quiescent: true })));
  } finally {
    await world.close();
  }
  return { seed, violations, stats } satisfies SeedResult;
}

/** Runs the production relay round (deliverMessages) over every shard until nothing is left to deliver. */
async function drain(
  shards: SimShard[],
  router: Awaited<ReturnType<typeof openWorld>>["router"],
  ids: ReturnType<typeof sequentialIds>,
  now: () => Date,
  violations: string[],
): Promise<number> {
  const databaseFor = async (programId: string) => (await router.databaseFor(programId)).database;
  for (let round = 0; round < 100; round++) {
    let moved = 0;
    for (const shard of shards) {
      const { delivered, failures } = await deliverMessages(shard.database, databaseFor, ids, now);
      moved += delivered;
      for (const failure of failures) violations.push(`drain: message ${failure.messageId}: ${failure.error}`);
    }
    if (moved === 0) {
      const refused = await Promise.all(
        shards.map((shard) =>
          shard.client.execute("select count(*) as n from conversion_credits where outcome = 'refused'"),
        ),
      );
      return refused.reduce((total, result) => total + Number(result.rows[0]?.n ?? 0), 0);
    }
  }
  violations.push("drain: the relay still had messages after 100 rounds");
  return 0;
}
