/**
 * What an API scenario needs from the gateway it runs against, whatever the runtime: the Node gateway in
 * process (test/support/node-target.ts) or the Worker inside workerd on D1 (test/worker/target.ts). Each
 * scenario is written once in test/scenarios/ against this, and run by a thin test file per runtime, as
 * Hono's runtime tests are.
 */
export interface Target {
  readonly runtime: "node" | "workerd";
  /** Sends one request through the gateway's own fetch handler and reads its whole answer. */
  send(request: Request): Promise<Answer>;
  /** The operator credential the gateway was started with. */
  readonly operator: Credential;
  /** The gateway's clock: it stands still until a scenario moves it, so nothing waits in real time. */
  readonly clock: { now(): Date; advance(ms: number): void; set(at: Date | string): void };
  /** The rows of a read-only SQL query on the gateway's database (SQLite on both), to check what was written. */
  rows<T = Record<string, unknown>>(query: string, ...args: unknown[]): Promise<T[]>;
  /** Waits until what the gateway does after answering (webhook attempts) is done. */
  settle(): Promise<void>;
  /** Runs the scheduled jobs (gateway/src/jobs.ts) once, now, as the Node interval or the Cron Trigger would. */
  runJobs(): Promise<void>;
  /** A new webhook receiver the gateway can deliver to. */
  receiver(): Promise<Receiver>;
}

/** A webhook receiver: it records every request as it arrived and answers as told (200 "ok" until then). */
export interface Receiver {
  readonly url: string;
  /** What arrived so far, oldest first; header names are lower case. */
  readonly received: Received[];
  answer(respond: () => { status: number; body?: string }): void;
}

export type Received = { headers: Record<string, string>; rawBody: string };

export type Credential = { clientId: string; secret: string };

/**
 * One answer, read once: the bytes, the text they decode to (without a byte order mark), and the JSON when it
 * parses. `body` is `unknown` on purpose: scenarios read it through the typed harness (./harness.ts), which
 * checks it against the route's zod schema, so reading a field the schema does not have fails to compile.
 */
export type Answer = { status: number; headers: Headers; bytes: Uint8Array; text: string; body: unknown };

/** Reads a response into an `Answer`. */
export async function read(response: Response): Promise<Answer> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, text, body };
}
