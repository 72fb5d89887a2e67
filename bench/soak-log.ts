import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { type Op, type OpKind, type OpRequest, opKinds } from "./soak-ops";

/** How an op ended: the answer to its last request (a conversion's quote, when the quote was refused). */
export type Outcome = {
  status: number;
  text: string;
  /** Tries of all the op's requests together: more than its requests when some went unanswered. */
  tries: number;
  /** The answer said `Idempotent-Replayed: true`: an earlier try, unanswered, had committed. */
  replayed: boolean;
  quoteId?: string;
};

export const bodyHash = (text: string) => createHash("sha256").update(text).digest("base64");

const idOf = (text: string): string | undefined => {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
};
const codeOf = (text: string): string => {
  try {
    return String((JSON.parse(text) as { code?: unknown }).code ?? "no code");
  } catch {
    return "not JSON";
  }
};

/**
 * Every op of the run: a line of JSON per op in `file` (its key, requests and answer, for chasing a finding), and in
 * memory what the checks need, compactly (a million ops): kind, partner, status, the id its answer gave (transaction,
 * conversion, redemption or transfer), a refusal's code, and a hash of a 2xx answer to compare with the stored one.
 */
export class OpLog {
  readonly kinds: Uint8Array;
  readonly partners: Uint8Array;
  readonly statuses: Uint16Array;
  /** Tries of the op's requests that got no answer (the gateway was killed under them, or was down). */
  readonly unanswered: Uint16Array;
  readonly replayed: Uint8Array;
  readonly ids: (string | undefined)[];
  readonly quoteIds = new Map<number, string>();
  readonly codes = new Map<number, string>();
  readonly hashes: (string | undefined)[];
  private readonly lines;

  constructor(
    readonly ops: number,
    readonly seed: number,
    readonly file: string,
  ) {
    this.kinds = new Uint8Array(ops);
    this.partners = new Uint8Array(ops);
    this.statuses = new Uint16Array(ops);
    this.unanswered = new Uint16Array(ops);
    this.replayed = new Uint8Array(ops);
    this.ids = new Array(ops);
    this.hashes = new Array(ops);
    this.lines = createWriteStream(file);
  }

  key = (index: number) => `soak-${this.seed}-${index}`;
  kind = (index: number): OpKind => opKinds[this.kinds[index] as number] as OpKind;
  acknowledged = (index: number) => (this.statuses[index] as number) >= 200 && (this.statuses[index] as number) < 300;

  record(op: Op, requests: OpRequest[], outcome: Outcome) {
    const i = op.index;
    this.kinds[i] = opKinds.indexOf(op.kind);
    this.partners[i] = op.partner;
    this.statuses[i] = outcome.status;
    this.unanswered[i] = Math.min(outcome.tries - requests.length, 65_535);
    this.replayed[i] = outcome.replayed ? 1 : 0;
    if (outcome.quoteId) this.quoteIds.set(i, outcome.quoteId);
    const ok = outcome.status >= 200 && outcome.status < 300;
    if (ok) {
      this.ids[i] = idOf(outcome.text);
      this.hashes[i] = bodyHash(outcome.text);
    } else this.codes.set(i, codeOf(outcome.text));
    this.lines.write(
      `${JSON.stringify({ i, key: op.key, kind: op.kind, partner: op.partner, requests, status: outcome.status, tries: outcome.tries, replayed: outcome.replayed, answer: outcome.text })}\n`,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.lines.end(resolve));
  }
}
