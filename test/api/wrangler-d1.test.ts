import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The real wrangler CLI on a local D1 database under a temporary --persist-to directory: `wrangler d1
// migrations apply` and the Worker's own migrator (under `wrangler dev`), in either order. Offline; each
// wrangler run takes seconds, so each test has a long timeout.

/** Wrangler needs Node 22: the `node` devDependency's, also first on PATH for the [build] command's npx. */
const node22 = resolve("node_modules/node/bin/node");
const wranglerEnv = {
  ...process.env,
  PATH: `${resolve("node_modules/node/bin")}${delimiter}${process.env.PATH}`,
  CI: "1", // no prompts: `migrations apply` goes ahead without asking
  WRANGLER_SEND_METRICS: "false",
};
const operator = { id: "op_wrangler_cli_test", secret: "wrangler-cli-test-operator-secret-0123" };
const files = readdirSync("migrations").filter((name) => name.endsWith(".sql"));

/** Starts wrangler with these arguments in a process group of its own (it spawns its CLI and workerd). */
function wrangler(args: string[]) {
  const child = spawn(node22, ["node_modules/wrangler/bin/wrangler.js", ...args], {
    env: wranglerEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return { output: () => output, exited, stop: () => process.kill(-(child.pid as number), "SIGTERM") };
}

/** `wrangler d1 migrations apply DB --local` on the database kept under `state`; answers its output. */
async function applyMigrations(state: string): Promise<string> {
  const run = wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  const code = await run.exited;
  if (code !== 0) throw new Error(`wrangler d1 migrations apply exited with ${code}:\n${run.output()}`);
  return run.output();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * `wrangler dev` on the database kept under `state`, with the operator credential as vars; runs `use` with
 * the Worker's URL once it is ready, then stops wrangler and workerd.
 */
async function withDev(state: string, use: (url: string) => Promise<void>) {
  const port = await freePort();
  const dev = wrangler([
    "dev",
    ...["--persist-to", state, "--port", String(port), "--ip", "127.0.0.1"],
    ...["--var", `OPERATOR_CLIENT_ID:${operator.id}`, "--var", `OPERATOR_CLIENT_SECRET:${operator.secret}`],
  ]);
  try {
    for (let i = 0; i < 600 && !/Ready on http/.test(dev.output()); i++) await new Promise((r) => setTimeout(r, 50));
    if (!/Ready on http/.test(dev.output())) throw new Error(`wrangler dev did not start:\n${dev.output()}`);
    await use(`http://127.0.0.1:${port}`);
  } catch (error) {
    throw new Error(`${error}\nwrangler dev output:\n${dev.output()}`, { cause: error });
  } finally {
    dev.stop();
    await dev.exited;
  }
}

/** /health is 200 and the operator credential gets a token that an operator route accepts. */
async function expectServes(url: string) {
  const health = await fetch(`${url}/health`);
  expect([health.status, await health.json()]).toEqual([200, expect.objectContaining({ database: "ok" })]);
  const token = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa(`${operator.id}:${operator.secret}`)}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  expect(token.status).toBe(200);
  const { access_token } = (await token.json()) as { access_token: string };
  const partners = await fetch(`${url}/v1/partners`, { headers: { Authorization: `Bearer ${access_token}` } });
  expect(partners.status).toBe(200);
}

describe("wrangler d1 migrations apply and wrangler dev (the real CLI)", () => {
  it("migrations applied by wrangler first: the Worker under wrangler dev serves", async () => {
    const state = mkdtempSync(join(tmpdir(), "gateway-wrangler-"));
    const applied = await applyMigrations(state);
    for (const file of files) expect(applied).toMatch(new RegExp(`${file.replace(".", "\\.")}\\s*│\\s*✅`));
    await withDev(state, expectServes);
  }, 90_000);

  it("migrations applied by the Worker first (under wrangler dev): wrangler has nothing left to apply", async () => {
    const state = mkdtempSync(join(tmpdir(), "gateway-wrangler-"));
    await withDev(state, expectServes);
    expect(await applyMigrations(state)).toContain("No migrations to apply");
  }, 90_000);
});
