import { afterAll, beforeAll } from "vitest";
import { runScheduledJobs } from "../../gateway/src/jobs";
import { type Receiver, read, type Target } from "../scenarios/target";
import { createTestGateway, operatorCredential, type TestGateway } from "./gateway";
import { startReceiver } from "./receiver";

/**
 * The scenarios' target on Node: a whole gateway in process (createTestGateway) on a fresh libSQL file,
 * started before the file's tests and closed after them. `settings` are its environment, as in production.
 * Its webhook receivers listen on 127.0.0.1 over plain HTTP, so the gateway allows private targets.
 */
export function useNodeTarget(settings: Record<string, string> = {}): Target {
  let gateway: TestGateway | undefined;
  const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
  beforeAll(async () => {
    gateway = await createTestGateway({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", ...settings });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });
  const live = (): TestGateway => {
    if (!gateway) throw new Error("the Node gateway starts in beforeAll; call it from a test");
    return gateway;
  };
  return {
    runtime: "node",
    operator: operatorCredential,
    send: async (request) => read(await live().app.request(request)),
    clock: {
      now: () => live().clock.now(),
      advance: (ms) => live().clock.advance(ms),
      set: (at) => live().clock.set(at),
    },
    rows: (query, ...args) => live().deps.reader.all(query, args as never[]),
    settle: () => live().deps.webhooks.idle(),
    runJobs: async () => {
      await runScheduledJobs(live().deps);
    },
    async receiver(): Promise<Receiver> {
      const receiver = await startReceiver();
      receivers.push(receiver);
      return {
        url: receiver.url,
        get received() {
          return receiver.received.map(({ headers, rawBody }) => ({
            headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)])),
            rawBody,
          }));
        },
        answer: receiver.answer,
      };
    },
  };
}
