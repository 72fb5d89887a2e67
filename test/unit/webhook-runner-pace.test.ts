import { describe, expect, it, vi } from "vitest";
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

const pause = () => new Promise((resolve) => setImmediate(resolve));

describe("webhook runner pace (webhooks/runner.ts)", () => {
  it("serves a burst of kicks (one per write under load) with two rounds, not one per kick", async () => {
    // The pause between rounds on a clock that stands still (setImmediate stays real), so the count is exact.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      const { runner, rounds } = countingRunner();
      for (let i = 0; i < 200; i++) {
        runner.kick();
        if (i % 20 === 0) await pause();
      }
      await pause();
      expect(rounds()).toBe(1);
      await vi.advanceTimersByTimeAsync(20);
      await pause();
      expect(rounds()).toBe(2);
      await runner.idle();
      expect(rounds()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
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
