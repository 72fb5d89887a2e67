import { monotonicFactory } from "ulidx";
import type { Clock } from "./clock";

/** Id prefixes of ../shared/API.md, plus the gateway's own. */
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
  | "cid";

export type NewId = (prefix: IdPrefix) => string;

/**
 * Prefixed ULIDs in lower case: `ptn_01jd...`. They sort by creation time (the clock's), which is what
 * lets lists page newest-first by id alone.
 */
export function createIds(clock: Clock): NewId {
  const ulid = monotonicFactory();
  return (prefix) => `${prefix}_${ulid(clock.now().getTime()).toLowerCase()}`;
}
