/**
 * The writer thread of the embedded database (Node only). It owns one native connection and group-commits
 * the units the main thread sends (./group-commit.ts). Loaded by Node directly, with type stripping, so it
 * imports with explicit `.ts` extensions and uses only erasable TypeScript.
 */
import { parentPort, workerData } from "node:worker_threads";
import { GroupCommit } from "./group-commit.ts";
import { NativeDatabase } from "./native.ts";
import type { SqlValue } from "./writer.ts";

/**
 * Units arrive in batches: everything the main thread wrote during one turn of its event loop. A statement names its
 * SQL text by a number: each text crosses once, in `texts`, the first time it is used (`forget`: start afresh).
 */
export type WriteRequest =
  | { units: { id: number; statements: [number, SqlValue[]][] }[]; texts: [number, string][]; forget: boolean }
  | { id: number; close: true };
export type UnitReply =
  | { id: number; rows: unknown[][]; commit: number }
  | { id: number; error: { message: string; code?: string } };
/** Replies go back in batches too: every unit settled during one turn of this thread's event loop. */
export type WriteReply = { replies: UnitReply[] } | { id: number; closed: true };

const native = new NativeDatabase((workerData as { path: string }).path);
const groupCommit = new GroupCommit(native);
const texts = new Map<number, string>();
const port = parentPort;
if (!port) throw new Error("group-commit-thread must run as a worker thread");

let replies: UnitReply[] = [];
function sendReplies(): void {
  if (replies.length === 0) return;
  const batch = replies;
  replies = [];
  port?.postMessage({ replies: batch } satisfies WriteReply);
}
function reply(unitReply: UnitReply): void {
  if (replies.length === 0) setImmediate(sendReplies);
  replies.push(unitReply);
}

port.on("message", (request: WriteRequest) => {
  if ("close" in request) {
    groupCommit.drain();
    // The drained units settle in the microtasks after this handler: their replies go out before the port closes, so
    // a unit that committed is never answered "the thread exited".
    setImmediate(() => {
      sendReplies();
      native.close();
      port.postMessage({ id: request.id, closed: true } satisfies WriteReply);
      port.close();
    });
    return;
  }
  if (request.forget) texts.clear();
  for (const [id, text] of request.texts) texts.set(id, text);
  for (const unit of request.units) {
    const statements = unit.statements.map(([text, args]) => ({ sql: texts.get(text) ?? "", args }));
    groupCommit.write(statements).then(
      ({ rows, commit }) => reply({ id: unit.id, rows, commit }),
      (error: unknown) => {
        const { message, code } = error as { message?: string; code?: string };
        reply({ id: unit.id, error: { message: String(message ?? error), code } });
      },
    );
  }
});
