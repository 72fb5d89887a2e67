import { seededRandom } from "./random";
import type { Answer } from "./soak-client";
import type { OpLog, Outcome } from "./soak-log";
import { type Op, type OpRequest, planOp, ReversiblePool } from "./soak-ops";
import type { SoakWorld } from "./soak-setup";

/** An acknowledged request sent again with its key: the answer must be the first one, byte for byte. */
type Acknowledged = { partner: number; request: OpRequest; answer: Answer };

/** How often a client sends an acknowledged request again (from the latest few hundred) between its ops. */
const replayShare = 0.01;
const replayRing = 512;

export type Workload = {
  /** Ops started so far (the killer and the memory sampler read it). */
  started: () => number;
  done: () => number;
  /** Acknowledged requests sent again, and those whose answer differed from the first (a violation each). */
  replays: { checked: number; differing: string[] };
  /** 5xx answers: findings. */
  serverErrors: string[];
  finished: Promise<void>;
};

/**
 * Runs `log.ops` ops on `connections` concurrent clients, each drawing its ops from its own seeded stream. Each
 * request is tried until answered (soak-client.ts); the op's outcome goes to the log. Acknowledged earns and burns
 * feed the reversals' pool; now and then a client sends an acknowledged request again with its key and checks that
 * the answer is the first one.
 */
export function runWorkload(input: { world: SoakWorld; log: OpLog; connections: number; seed: number }): Workload {
  const { world, log } = input;
  const pool = new ReversiblePool(world.partners.length);
  const acknowledged: Acknowledged[] = [];
  let acknowledgedCount = 0;
  const replays = { checked: 0, differing: [] as string[] };
  const serverErrors: string[] = [];
  let next = 0;
  let done = 0;

  const send = (partner: number, request: OpRequest) =>
    (world.partners[partner] as SoakWorld["partners"][number]).client.send(
      request.method,
      request.path,
      request.body,
      request.key,
    );

  const remember = (partner: number, request: OpRequest, answer: Answer) => {
    if (answer.status >= 500) serverErrors.push(`${request.key} ${request.path}: ${answer.status} ${answer.text}`);
    if (answer.status < 200 || answer.status >= 300) return;
    acknowledged[acknowledgedCount++ % replayRing] = { partner, request, answer };
  };

  async function perform(op: Op): Promise<{ requests: OpRequest[]; outcome: Outcome }> {
    const requests: OpRequest[] = [];
    let tries = 0;
    let quoteId: string | undefined;
    if (op.quote) {
      requests.push(op.quote);
      const quoted = await send(op.partner, op.quote);
      tries += quoted.tries;
      remember(op.partner, op.quote, quoted);
      if (quoted.status !== 201) return { requests, outcome: { ...quoted, tries } };
      quoteId = (JSON.parse(quoted.text) as { id: string }).id;
    }
    const request = op.request(quoteId);
    requests.push(request);
    const answer = await send(op.partner, request);
    remember(op.partner, request, answer);
    return { requests, outcome: { ...answer, tries: tries + answer.tries, quoteId } };
  }

  async function replayOne(random: () => number) {
    const earlier = acknowledged[Math.floor(random() * acknowledged.length)];
    if (!earlier) return;
    const again = await send(earlier.partner, earlier.request);
    replays.checked += 1;
    if (again.status !== earlier.answer.status || again.text !== earlier.answer.text || !again.replayed)
      replays.differing.push(
        `${earlier.request.key}: first ${earlier.answer.status} ${earlier.answer.text}; again ${again.status} (replayed: ${again.replayed}) ${again.text}`,
      );
  }

  async function client(index: number) {
    const random = seededRandom(input.seed + 7919 * (index + 1));
    for (;;) {
      if (random() < replayShare) await replayOne(random);
      const i = next++;
      if (i >= log.ops) return;
      const op = planOp(i, input.seed, world, pool, random);
      const { requests, outcome } = await perform(op);
      log.record(op, requests, outcome);
      done += 1;
      if ((op.kind === "earn" || op.kind === "burn") && outcome.status === 201) {
        const body = JSON.parse(outcome.text) as { id: string; points: number };
        pool.add(op.partner, { id: body.id, points: body.points });
      }
    }
  }

  const finished = Promise.all(Array.from({ length: input.connections }, (_, index) => client(index))).then(() => {});
  return { started: () => next, done: () => done, replays, serverErrors, finished };
}
