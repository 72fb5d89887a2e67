/** The source of "now". Injected so expiry, quotes and webhook schedules are testable with fixed time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string = "2026-01-01T00:00:00.000Z") {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(at: Date | string): void {
    this.#ms = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

/**
 * The business clock of a sandbox deployment: its real clock plus an offset that the operator moves forward
 * (`POST /v1/sandbox/clock`). The offset is kept in the database and read again before every request and
 * job run (domain/sandbox-clock.ts), so every process and isolate of the deployment tells the same time.
 * It never moves back: an older offset, read by a request that started before a move, is ignored.
 */
export class SandboxClock implements Clock {
  #offsetMs = 0;
  constructor(private readonly real: Clock) {}
  now(): Date {
    return new Date(this.real.now().getTime() + this.#offsetMs);
  }
  /** How far the business clock runs ahead of the real one. */
  get offsetMs(): number {
    return this.#offsetMs;
  }
  /** Takes an offset read from (or written to) the database, unless this clock is already further ahead. */
  observe(offsetMs: number): void {
    if (offsetMs > this.#offsetMs) this.#offsetMs = offsetMs;
  }
}
