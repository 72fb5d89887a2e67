/**
 * The writer thread of the embedded database (Node only). It owns one native connection and group-commits
 * the units the main thread sends (./group-commit.ts). Loaded by Node directly, with type stripping, so it
 * imports with explicit `.ts` extensions and uses only erasable TypeScript.
 */
import { parentPort, workerData } from "node:worker_threads";
import { GroupCommit } from "./group-commit.ts";
import { NativeDatabase } from "./native.ts";
import type { Statement } from "./writer.ts";

/** Units arrive in batches: everything the main thread wrote during one turn of its event loop. */
export type WriteRequest = { units: { id: number; statements: Statement[] }[] } | { id: number; close: true };
export type WriteReply =
  | { id: number; rows: unknown[][]; commit: number }
  | { id: number; error: { message: string; code?: string } }
  | { id: number; closed: true };

const native = new NativeDatabase((workerData as { path: string }).path);
const groupCommit = new GroupCommit(native);
const port = parentPort;
if (!port) throw new Error("group-commit-thread must run as a worker thread");

port.on("message", (request: WriteRequest) => {
  if ("close" in request) {
    groupCommit.drain();
    native.close();
    port.postMessage({ id: request.id, closed: true } satisfies WriteReply);
    port.close();
    return;
  }
  for (const unit of request.units) {
    groupCommit.write(unit.statements).then(
      ({ rows, commit }) => port.postMessage({ id: unit.id, rows, commit } satisfies WriteReply),
      (error: unknown) => {
        const { message, code } = error as { message?: string; code?: string };
        port.postMessage({ id: unit.id, error: { message: String(message ?? error), code } } satisfies WriteReply);
      },
    );
  }
});
