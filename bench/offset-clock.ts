import type { Clock } from "../gateway/src/clock";

/**
 * The system clock plus an offset that only grows: it keeps running between moves (ids stay time-ordered, tokens
 * age), and `moveTo` jumps it forward to a date, as the sandbox clock does, so a bench can write history.
 */
export class OffsetClock implements Clock {
  #offsetMs: number;
  constructor(start: Date) {
    this.#offsetMs = start.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
  /** Jumps forward to `at`; a date already past leaves the clock as it is. */
  moveTo(at: Date): void {
    const ahead = at.getTime() - this.now().getTime();
    if (ahead > 0) this.#offsetMs += ahead;
  }
}
