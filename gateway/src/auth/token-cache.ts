import type { Principal } from "./tokens";

/**
 * Access tokens already verified by this process, until they expire. A token is immutable, so its
 * signature and claims need checking once; what can change (a revoked credential, a suspended partner)
 * is still checked in the database on every request. Bounded: the oldest entry goes first.
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(private readonly capacity = 10_000) {}

  get(token: string, nowMs: number): Principal | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, expiresAtMs: number): void {
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(token, { principal, expiresAtMs });
  }
}
