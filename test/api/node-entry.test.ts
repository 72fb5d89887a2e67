import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Starts `gateway/src/node.ts` as `npm start` does and collects its output. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "gateway/src/node.ts"], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const listening = async () => {
    for (let i = 0; i < 200 && !/"listening"/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /"url":"(http:\/\/localhost:\d+)"/.exec(output)?.[1];
    if (!url) throw new Error(`gateway did not start:\n${output}`);
    return url;
  };
  return { child: child as ChildProcess, output: () => output, exited, listening };
}

describe("the Node entry", () => {
  it("stops at start-up with a message naming a bad setting", async () => {
    const gateway = start({ PORT: "eighty", QUOTE_TTL_SECONDS: "-3" });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toMatch(/PORT: .*"eighty"/);
    expect(gateway.output()).toMatch(/QUOTE_TTL_SECONDS/);
  });

  it("creates and prints an operator credential once, migrates a new file, serves, and shuts down on SIGTERM", async () => {
    const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), "gateway-entry-")), "nested", "gateway.db")}`;
    const first = start({ DATABASE_URL: databaseUrl });
    const url = await first.listening();
    const clientId = /OPERATOR_CLIENT_ID=(\S+)/.exec(first.output())?.[1];
    const secret = /OPERATOR_CLIENT_SECRET=(\S+)/.exec(first.output())?.[1];
    expect(clientId).toMatch(/^op_/);
    const token = await fetch(`${url}/oauth/token`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(token.status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/"shutting down"/);

    const second = start({ DATABASE_URL: databaseUrl });
    await second.listening();
    expect(second.output()).not.toMatch(/OPERATOR_CLIENT_SECRET=/);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
