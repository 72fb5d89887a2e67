import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A `file:` DATABASE_URL in a new temporary directory. */
export const tempDatabaseUrl = (name = "gateway.db") =>
  `file:${join(mkdtempSync(join(tmpdir(), "gateway-node-")), name)}`;

/**
 * Runs a TypeScript entry (`gateway/src/node.ts` as `npm start` does, or a script of scripts/) with tsx,
 * on PORT=0 unless `env` says otherwise, and collects its output (stdout and stderr together).
 */
export function run(file: string, env: Record<string, string> = {}, args: string[] = []) {
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  /** The exit code, or the signal that ended the process. */
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal)),
  );
  /** Resolves once `pattern` appears in the output. */
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const until = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${pattern} in the output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  /** Resolves with the gateway's URL once it logs "listening". */
  const listening = async () => {
    await waitFor(/"listening"/);
    const url = /"url":"(http:\/\/localhost:\d+)"/.exec(output)?.[1];
    if (!url) throw new Error(`gateway did not start:\n${output}`);
    return url;
  };
  return {
    child: child as ChildProcess,
    output: () => output,
    stderr: () => stderr,
    exited,
    waitFor,
    listening,
  };
}

/** Starts the Node entry. */
export const startGateway = (env: Record<string, string> = {}, args: string[] = []) =>
  run("gateway/src/node.ts", env, args);

/** An operator (or partner) access token, or the failed answer's status. */
export async function accessToken(url: string, clientId: string, secret: string): Promise<string | number> {
  const response = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  if (!response.ok) return response.status;
  return ((await response.json()) as { access_token: string }).access_token;
}
