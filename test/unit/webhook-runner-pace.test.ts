import { describe, expect, it } from "vitest";
import { systemClock } from "../../gateway/src/clock";
import type { SqlReader } from "../../gateway/src/db/reader";
import { createIds } from "../../gateway/src/ids";
import { webhookRunner } from "../../gateway/src/webhooks/runner";

/** A runner over a database with nothing to deliver, counting its reads: two per round. */
function countingRunner() {
  let reads = 0;
  const reader: SqlReader = {
    all: async () => {
      reads += 1;
      return [];
    },
    first: async () => {
      reads += 1;
      return undefined;
    },
  };
  const runner = webhookRunner({
    reader,
    writer: { write: async () => [] },
    clock: systemClock,
    realClock: systemClock,
    ids: createIds(systemClock),
    log: () => {},
    webhookTransport: async () => ({ status: 200, excerpt: "" }),
  });
  return { runner, rounds: () => reads / 2 };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("webhook runner pace (webhooks/runner.ts)", () => {
  it("serves a burst of kicks (one per write under load) with two rounds, not one per kick", async () => {
    const { runner, rounds } = countingRunner();
    for (let i = 0; i < 200; i++) {
      runner.kick();
      if (i % 20 === 0) await pause(0);
    }
    await pause(60);
    expect(rounds()).toBeGreaterThanOrEqual(1);
    expect(rounds()).toBeLessThanOrEqual(3);
    await runner.idle();
  });

  it("deliver() runs a round at once, even right after one, and idle() runs a deferred round before it resolves", async () => {
    const { runner, rounds } = countingRunner();
    await runner.deliver();
    await runner.deliver();
    expect(rounds()).toBe(2);
    runner.kick();
    await runner.idle();
    expect(rounds()).toBe(3);
  });
});
