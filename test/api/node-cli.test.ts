import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { startGateway, tempDatabaseUrl } from "../support/node-process";

/** Runs the Node entry until it exits; answers its exit code, and its stderr as lines. */
async function failedStart(env: Record<string, string>, args: string[] = []) {
  const gateway = startGateway({ DATABASE_URL: ":memory:", ...env }, args);
  const code = await gateway.exited;
  return { code, lines: gateway.stderr().trim().split("\n"), output: gateway.output() };
}

// Each case spawns the entry; they are independent, so they run side by side.
describe.concurrent("the Node entry's command line and start-up errors", { timeout: 60_000 }, () => {
  it("prints help for -h as for --help, and exits 0", async () => {
    for (const flag of ["-h", "--help"]) {
      const { code, output } = await failedStart({}, [flag]);
      expect(code).toBe(0);
      expect(output).toMatch(/^Usage: npm start/);
      expect(output).toMatch(/^ {2}PUBLIC_URL +.*http:\/\/localhost:\$PORT on Node/m);
    }
  });

  it("refuses an unknown flag or argument in one line that names it and points at --help", async () => {
    for (const args of [["--port", "9000"], ["-x"], ["serve"]]) {
      const { code, lines } = await failedStart({}, args);
      expect(code).toBe(2);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(args[0] === "serve" ? '"serve"' : args[0]);
      expect(lines[0]).toContain("--help");
    }
  });

  it("names a busy port in one line and exits 1", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, resolve));
    const { port } = busy.address() as { port: number };
    try {
      const { code, lines } = await failedStart({ PORT: String(port) });
      expect(code).toBe(1);
      expect(lines).toEqual([
        `Port ${port} is already in use: stop the program using it, or set PORT to another port.`,
      ]);
    } finally {
      busy.close();
    }
  });

  it("names an unreachable or unopenable database in one line and exits 1", async () => {
    const notADirectory = tempDatabaseUrl("plain-file").slice("file:".length);
    writeFileSync(notADirectory, "");
    for (const [databaseUrl, cause] of [
      ["libsql://gateway-test.invalid", /gateway-test\.invalid/],
      [`file:${notADirectory}/gateway.db`, /EEXIST|ENOTDIR/],
    ] as const) {
      const { code, lines, output } = await failedStart({ DATABASE_URL: databaseUrl });
      expect(code).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^Cannot open the database ${databaseUrl.replace(/[.]/g, "\\.")} \\(DATABASE_URL\\): `),
      );
      expect(lines[0]).toMatch(cause);
      expect(output).not.toMatch(/\n\s+at /);
    }
  });

  it("refuses a bare path as DATABASE_URL and suggests the file: URL", async () => {
    const { code, output } = await failedStart({ DATABASE_URL: "./x.db" });
    expect(code).toBe(1);
    expect(output).toMatch(/DATABASE_URL: .*file:\.\/x\.db/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it("names a migration the database refuses in one line and exits 1", async () => {
    // A table the first migration creates, made by someone else: neither migrations table records it.
    const databaseUrl = tempDatabaseUrl();
    const database = createClient({ url: databaseUrl });
    await database.execute("create table signing_keys (kid text primary key)");
    database.close();
    const { code, lines, output } = await failedStart({ DATABASE_URL: databaseUrl });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^migration 0000_init failed: .*signing_keys.*already exists/);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
