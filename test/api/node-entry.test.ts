import { createServer } from "node:net";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { accessToken, startGateway, tempDatabaseUrl } from "../support/node-process";

/** A port nothing listens on right now. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe("the Node entry", { timeout: 60_000 }, () => {
  it("stops at start-up with a message naming a bad setting", async () => {
    const gateway = startGateway({ PORT: "eighty", QUOTE_TTL_SECONDS: "-3" });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toMatch(/PORT: .*"eighty"/);
    expect(gateway.output()).toMatch(/QUOTE_TTL_SECONDS/);
  });

  it("creates and prints an operator credential once, migrates a new file, serves, names the operator credentials on every start, and shuts down on SIGTERM", async () => {
    const databaseUrl = tempDatabaseUrl("nested/gateway.db");
    const first = startGateway({ DATABASE_URL: databaseUrl });
    const url = await first.listening();
    const clientId = /OPERATOR_CLIENT_ID=(\S+)/.exec(first.output())?.[1] ?? "";
    const secret = /OPERATOR_CLIENT_SECRET=(\S+)/.exec(first.output())?.[1] ?? "";
    expect(clientId).toMatch(/^op_/);
    expect(typeof (await accessToken(url, clientId, secret))).toBe("string");
    expect(first.output()).toContain(`"message":"operator credentials","client_ids":["${clientId}"]`);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/"shutting down"/);
    expect(first.output()).toMatch(/"shut down"/);

    const second = startGateway({ DATABASE_URL: databaseUrl });
    await second.listening();
    expect(second.output()).not.toMatch(/OPERATOR_CLIENT_SECRET=/);
    expect(second.output()).not.toContain(secret);
    expect(second.output()).toContain(`"client_ids":["${clientId}"]`);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("makes PUBLIC_URL, and so the issuer of access tokens, follow PORT when PUBLIC_URL is unset", async () => {
    const port = await freePort();
    const operator = { OPERATOR_CLIENT_ID: "op_entry_test", OPERATOR_CLIENT_SECRET: "entry-test-operator-secret-0123" };
    const gateway = startGateway({ PORT: String(port), DATABASE_URL: ":memory:", ...operator });
    const url = await gateway.listening();
    expect(url).toBe(`http://localhost:${port}`);
    expect(gateway.output()).toContain(`"public_url":"http://localhost:${port}"`);
    const token = await accessToken(url, operator.OPERATOR_CLIENT_ID, operator.OPERATOR_CLIENT_SECRET);
    expect(decodeJwt(String(token)).iss).toBe(`http://localhost:${port}`);
    gateway.child.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);
  });
});
