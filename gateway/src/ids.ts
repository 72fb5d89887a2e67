import { monotonicFactory } from "ulidx";
import type { Clock } from "./clock";

/** Id prefixes of the API (README and /openapi.json), plus the gateway's own. */
export type IdPrefix =
  | "ptn"
  | "prg"
  | "agr"
  | "mem"
  | "txn"
  | "qt"
  | "cnv"
  | "whe"
  | "evt"
  | "stm"
  | "rev"
  | "usr"
  | "req"
  | "cid"
  | "cvr"
  | "fev"
  | "wha"
  | "stp"
  | "mtc"
  | "seg"
  | "pro"
  | "cmp"
  | "act"
  | "rwd"
  | "rdm"
  | "trf"
  | "tpt"
  | "rpt"
  | "smg";

export type NewId = (prefix: IdPrefix) => string;

/**
 * Cryptographic randomness drawn 4 KiB at a time: ulidx asks for one random number per character, and a
 * `getRandomValues` call each time was a visible share of a request's CPU.
 */
function pooledRandom(): () => number {
  const pool = new Uint8Array(4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      crypto.getRandomValues(pool);
      next = 0;
    }
    return (pool[next++] as number) / 256;
  };
}

/**
 * Prefixed ULIDs in lower case: `ptn_01jd...`. They sort by creation time (the clock's), which is what
 * lets lists page newest-first by id alone.
 */
export function createIds(clock: Clock): NewId {
  const ulid = monotonicFactory(pooledRandom());
  return (prefix) => `${prefix}_${ulid(clock.now().getTime()).toLowerCase()}`;
}
