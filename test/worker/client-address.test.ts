import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createWorker } from "../../gateway/src/worker";
import { callThrough } from "./support";

describe("the client address on Workers", () => {
  it("is Cloudflare's CF-Connecting-IP: failed token requests count per address it names", async () => {
    const call = callThrough(createWorker(), { ...env, RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE: "1" });
    const guess = (address: string) =>
      call("POST", "/oauth/token", {
        form: { grant_type: "client_credentials", client_id: "ci_victim_client", client_secret: "wrong" },
        headers: { "CF-Connecting-IP": address },
      });
    expect((await guess("203.0.113.7")).status).toBe(401);
    const limited = await guess("203.0.113.7");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("RateLimit-Policy")).toBe('"token-client-failures";q=1;w=60');
    // Another address is another client: its first failure is its own.
    expect((await guess("198.51.100.20")).status).toBe(401);
  });
});
