import { describe, expect, it } from "vitest";
import { ConfigError, configHelp, configSchema, parseConfig } from "../../gateway/src/config";

describe("configuration", () => {
  it("has working defaults for one machine", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 8787,
      DATABASE_URL: "file:./data/gateway.db",
      QUOTE_TTL_SECONDS: 60,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: false,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      SANDBOX: false,
    });
  });

  it("accepts :memory:, Turso URLs and booleans", () => {
    expect(parseConfig({ DATABASE_URL: ":memory:" }).DATABASE_URL).toBe(":memory:");
    expect(
      parseConfig({ DATABASE_URL: "libsql://db-org.turso.io", DATABASE_AUTH_TOKEN: "t" }).DATABASE_AUTH_TOKEN,
    ).toBe("t");
    expect(parseConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(true);
    expect(parseConfig({ SANDBOX: "true" }).SANDBOX).toBe(true);
    expect(() => parseConfig({ SANDBOX: "yes" })).toThrow(/SANDBOX: must be true or false/);
  });

  it("refuses a bare path as DATABASE_URL and spells out the file: URL", () => {
    expect(() => parseConfig({ DATABASE_URL: "./x.db" })).toThrow(/DATABASE_URL: .*file:\.\/x\.db/);
    expect(() => parseConfig({ DATABASE_URL: "/var/lib/gateway.db" })).toThrow(/file:\/var\/lib\/gateway\.db/);
    expect(() => parseConfig({ DATABASE_URL: "postgres://x" })).toThrow(/must be a file: path/);
  });

  it("lets an unset PUBLIC_URL follow the port the Node server listens on; Workers keep wrangler dev's", () => {
    expect(parseConfig({ PORT: "9000" }, { listeningPort: 9000 }).PUBLIC_URL).toBe("http://localhost:9000");
    expect(parseConfig({ PORT: "0" }, { listeningPort: 41234 }).PUBLIC_URL).toBe("http://localhost:41234");
    expect(parseConfig({ PORT: "9000", PUBLIC_URL: "" }, { listeningPort: 9000 }).PUBLIC_URL).toBe(
      "http://localhost:9000",
    );
    expect(parseConfig({ PORT: "9000", PUBLIC_URL: "https://gw.example" }, { listeningPort: 9000 }).PUBLIC_URL).toBe(
      "https://gw.example",
    );
    expect(parseConfig({ PORT: "9000" }).PUBLIC_URL).toBe("http://localhost:8787");
  });

  it("names every bad variable in one error", () => {
    let error: unknown;
    try {
      parseConfig({
        PORT: "eighty",
        DATABASE_URL: "postgres://x",
        WEBHOOK_ALLOW_PRIVATE_TARGETS: "yes",
        QUOTE_TTL_SECONDS: "-1",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ["PORT", "DATABASE_URL", "WEBHOOK_ALLOW_PRIVATE_TARGETS", "QUOTE_TTL_SECONDS"])
      expect(message).toContain(name);
  });

  it("requires paired settings together and never echoes secrets", () => {
    expect(() => parseConfig({ OPERATOR_CLIENT_ID: "op_client_1" })).toThrow(/OPERATOR_CLIENT_SECRET/);
    expect(() => parseConfig({ UPSTASH_REDIS_REST_URL: "https://x.upstash.io" })).toThrow(/UPSTASH_REDIS_REST_TOKEN/);
    try {
      parseConfig({ OPERATOR_CLIENT_ID: "op_client_1", OPERATOR_CLIENT_SECRET: "too-short-secret" });
    } catch (error) {
      expect((error as Error).message).not.toContain("too-short-secret");
    }
  });

  it("documents every setting it parses", () => {
    expect(Object.keys(configHelp).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });
});
