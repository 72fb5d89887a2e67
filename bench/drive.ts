import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Target } from "./gateway";
import type { ScenarioName } from "./settings";

/** One autocannon run: the hello-world baseline or a gateway scenario. */
export type LoadJob =
  | { kind: "hello"; url: string; connections: number; seconds: number }
  | { kind: ScenarioName; target: Target; connections: number; seconds: number };

export type LoadResult = {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** The first body seen per non-2xx status, to say why. */
  samples: Record<string, string>;
};

const loadScript = fileURLToPath(new URL("./load.ts", import.meta.url));

/**
 * Runs autocannon in a child process (bench/load.ts) and returns its summary.
 *
 * Why a child process: the gateway is single-threaded. autocannon in the same process would share that one
 * event loop, take turns with the server and cut its throughput roughly in half; in a child it gets its own
 * core (this machine has 2: one for the server, one for the load generator), which is how a real client sees
 * the server. The child is a plain `node --import tsx`, without the parent's flags (e.g. --cpu-prof).
 */
export function drive(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", loadScript], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`bench/load.ts exited with ${code}`));
      try {
        resolve(JSON.parse(output) as LoadResult);
      } catch {
        reject(new Error(`bench/load.ts printed no result: ${output.slice(0, 500)}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}
