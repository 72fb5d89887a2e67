import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { ManualClock } from "../../gateway/src/clock";
import { createWorker } from "../../gateway/src/worker";
import { type Received, type Receiver, read, type Target } from "../scenarios/target";
import { d1, operator } from "./support";

/**
 * The scenarios' target in workerd: the Worker's own fetch and scheduled handlers (one `createWorker`, what an
 * isolate holds) on the local D1 database of this test file, with a manual clock. Every request waits for the
 * work it passed to `waitUntil` (webhook attempts), as the edge lets it finish. `settings` are bindings; another
 * target given the same `clock` is another isolate of the same deployment.
 */
export function useWorkerTarget(
  settings: Record<string, string> = {},
  clock = new ManualClock(new Date()),
): Target & { clock: ManualClock } {
  const worker = createWorker({ clock });
  const bindings = {
    ...env,
    // Scenarios call far faster than a partner would and the clock stands still: limits that matter to a
    // scenario are set by it.
    RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
    RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE: "1000000",
    ...settings,
  };
  return {
    runtime: "workerd",
    operator,
    async send(request) {
      const ctx = createExecutionContext();
      const answer = await read(await worker.fetch(request, bindings, ctx));
      await waitOnExecutionContext(ctx);
      return answer;
    },
    clock,
    async rows(query, ...args) {
      return (
        await d1()
          .prepare(query)
          .bind(...args)
          .all()
      ).results as never[];
    },
    settle: async () => {},
    receiver: async () => receiverOnFetch(),
    async runJobs() {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: clock.now() }), bindings, ctx);
      await waitOnExecutionContext(ctx);
    },
  };
}

type Reply = () => { status: number; body?: string };

/** The receivers of this isolate by URL: what arrived there, and how they answer now. */
const receivers = new Map<string, { received: Received[]; reply: Reply }>();

/**
 * A receiver for webhooks the Worker sends with `fetch` in this isolate (its transport): requests to its
 * public-looking URL are recorded and answered here instead of leaving workerd; any other request goes out.
 */
function receiverOnFetch(): Receiver {
  // Spied on once per isolate, and again if vitest restored the spy after another file (isolate: false).
  if (!vi.isMockFunction(globalThis.fetch)) {
    const send = globalThis.fetch.bind(globalThis);
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      const receiver = receivers.get(request.url);
      if (!receiver) return send(request);
      receiver.received.push({ headers: Object.fromEntries(request.headers), rawBody: await request.text() });
      const answer = receiver.reply();
      return new Response(answer.body ?? "", { status: answer.status, headers: { "Content-Type": "text/plain" } });
    });
  }
  const url = `https://hooks-${crypto.randomUUID().slice(0, 8)}.receiver.example/hooks`;
  const state = { received: [] as Received[], reply: (() => ({ status: 200, body: "ok" })) as Reply };
  receivers.set(url, state);
  return {
    url,
    received: state.received,
    answer: (next) => {
      state.reply = next;
    },
  };
}
