import { afterAll, beforeAll } from "vitest";
import { runScheduledJobs } from "../../gateway/src/jobs";
import { read, type Target } from "../scenarios/target";
import { createTestGateway, operatorCredential, type TestGateway } from "./gateway";

/**
 * The scenarios' target on Node: a whole gateway in process (createTestGateway) on a fresh libSQL file,
 * started before the file's tests and closed after them. `settings` are its environment, as in production.
 */
export function useNodeTarget(settings: Record<string, string> = {}): Target {
  let gateway: TestGateway | undefined;
  beforeAll(async () => {
    gateway = await createTestGateway(settings);
  });
  afterAll(async () => {
    await gateway?.close();
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
  };
}
