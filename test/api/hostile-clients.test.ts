import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupConversion } from "../support/conversions";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

let gw: TestGateway;
let server: { url: string; stop: () => Promise<void> };
let port: number;
beforeAll(async () => {
  gw = await createTestGateway();
  server = await gw.listen();
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.stop();
  await gw.close();
});

/**
 * Writes raw bytes on one socket and collects what comes back, until the server closes the socket or
 * `until` sees enough. `then` writes more after the first bytes of the answer have arrived.
 */
function rawExchange(
  chunks: string[],
  options: { until?: (text: string) => boolean; timeoutMs?: number } = {},
): Promise<{ text: string; closed: boolean; bytesWritten: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ text, closed, bytesWritten: socket.bytesWritten });
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 3000);
    socket.on("connect", () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.on("data", (data) => {
      text += data.toString("latin1");
      if (options.until?.(text)) finish(false);
    });
    socket.on("close", () => finish(true));
    socket.on("error", (error) => (settled ? undefined : reject(error)));
  });
}

const headEnd = (text: string) => text.includes("\r\n\r\n");

describe("oversized bodies", () => {
  it("refuses a token request on its Content-Length at once, without reading the body, and closes the connection", async () => {
    const answer = await rawExchange(
      [
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
          `Content-Length: ${48 * 1024 * 1024}\r\n\r\n`,
      ],
      { until: headEnd },
    );
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toMatch(/\r\nconnection: close\r\n/i);
  });

  it("stops reading a chunked token request past its limit: the 413 comes while the client is still sending", async () => {
    const chunk = `1000\r\n${"a".repeat(0x1000)}\r\n`;
    const answer = await rawExchange(
      [
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
          "Transfer-Encoding: chunked\r\n\r\n",
        chunk,
        chunk,
      ],
      { until: headEnd },
    );
    // 8 KiB sent of a body that never ends: the answer cannot have waited for the end.
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toMatch(/\r\nconnection: close\r\n/i);
  });

  it("refuses an API body on its Content-Length with Connection: close, so no pooled request hits a dropped socket", async () => {
    const answer = await rawExchange(
      [
        "POST /v1/partners HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
          `Content-Length: ${10 * 1024 * 1024}\r\n\r\n{"name":"`,
      ],
      { until: headEnd },
    );
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.text).toContain("payload_too_large");
  });

  it("keeps the connection open when the body was read", async () => {
    const body = "grant_type=client_credentials&client_id=nobody&client_secret=wrong";
    const request =
      "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
      `Content-Length: ${body.length}\r\n\r\n${body}`;
    const answer = await rawExchange([request], { until: (text) => headEnd(text), timeoutMs: 1000 });
    expect(answer.text).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer.text).not.toMatch(/\r\nconnection: close\r\n/i);
  });

  it("answers an unauthenticated API write with Connection: close when it never read the body", async () => {
    const answer = await rawExchange(["GET /v1/partners HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"], {
      until: headEnd,
    });
    expect(answer.text).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer.text).toMatch(/\r\nconnection: close\r\n/i);
  });
});

describe("client addresses", () => {
  it("does not trust CF-Connecting-IP on Node: rotating it does not reset the failed-attempt limit", async () => {
    const strict = await createTestGateway({ RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE: "3" });
    const { url, stop } = await strict.listen();
    const statuses = [];
    // The per-address limit is five times the per-client limit of 3: 15 failures, then refusals.
    for (let i = 0; i < 17; i++) {
      const response = await fetch(`${url}/oauth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": `198.51.100.${i}` },
        body: `grant_type=client_credentials&client_id=ci_guess_${i}&client_secret=wrong`,
      });
      await response.text();
      statuses.push(response.status);
    }
    await stop();
    await strict.close();
    expect(statuses.slice(0, 15)).toEqual(Array(15).fill(401));
    expect(statuses.slice(15)).toEqual([429, 429]);
  });
});

describe("text fields", () => {
  it("refuses control characters with 400 naming the field, and stores nothing", async () => {
    const operator = await gw.operatorToken();
    const before = await gw.call("GET", "/v1/partners?limit=100", { token: operator });
    const refused = await gw.call("POST", "/v1/partners", {
      token: operator,
      body: JSON.stringify({ name: "Sky\u0000Ways", contact_email: "dev@sky.example", nested: ["ok\u0007"] }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe("validation_failed");
    expect(refused.body.errors).toEqual([
      { path: "name", message: expect.stringMatching(/control characters/) },
      { path: "nested[0]", message: expect.stringMatching(/control characters/) },
    ]);
    const after = await gw.call("GET", "/v1/partners?limit=100", { token: operator });
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  it("accepts tabs, line breaks and a literal backslash-u sequence, and echoes exactly what it stored", async () => {
    const operator = await gw.operatorToken();
    const name = "Sky\tWays \\u0000\r\nAirlines";
    const created = await gw.call("POST", "/v1/partners", {
      token: operator,
      body: { name, contact_email: "dev@sky.example" },
    });
    expect(created.status).toBe(201);
    const read = await gw.call("GET", `/v1/partners/${created.body.id}`, { token: operator });
    expect(read.body.name).toBe(name);
  });
});

describe("logs", () => {
  it("never writes a hosted member page's token to the request log", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const opened = await gw.call("POST", "/v1/member-sessions", {
      token: owner.token,
      body: { program_id: programId, external_id: member },
    });
    const path = new URL(opened.body.url).pathname;
    const token = path.split("/").at(-1) as string;
    gw.logs.length = 0;
    await gw.app.request(path);
    await gw.app.request(`${path}/quote`, { method: "POST" });
    const lines = gw.logs.filter((line) => line.message === "request");
    expect(lines.map((line) => line.path)).toEqual(["/portal/member/[redacted]", "/portal/member/[redacted]/quote"]);
    expect(JSON.stringify(gw.logs)).not.toContain(token);
  });
});

describe("enumeration", () => {
  it("answers a quote into a program without a rate the same whether the member number exists there or not", async () => {
    const { hotel, guest, airline, token } = await setupConversion(gw);
    const elsewhere = await setupProgram(gw, { name: "FreshCart Points" });
    const known = await elsewhere.enrol();
    const quote = async (toExternalId: string) =>
      gw.call("POST", "/v1/conversions/quotes", {
        token: await token(),
        body: {
          from_program_id: hotel.programId,
          from_external_id: guest,
          to_program_id: elsewhere.programId,
          to_external_id: toExternalId,
          from_points: 1000,
        },
      });
    const [existing, missing] = [await quote(known), await quote("NOBODY-HERE")];
    expect(existing.status).toBe(missing.status);
    expect(existing.body.detail).toBe(missing.body.detail);
    expect(existing.body.code).toBe(missing.body.code);
    expect(airline.programId).not.toBe(elsewhere.programId);
  });
});

describe("routes", () => {
  it("answers a known path with another method 405 and Allow", async () => {
    const put = await gw.call("PUT", "/oauth/token");
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("POST");
    expect(put.body).toMatchObject({ code: "method_not_allowed", status: 405 });
    const deleted = await gw.call("DELETE", "/v1/partners");
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get("allow")).toBe("GET, HEAD, POST");
    const patched = await gw.call("PATCH", "/v1/webhook-endpoints/whe_123/deliveries");
    expect(patched.headers.get("allow")).toBe("GET, HEAD");
    const nowhere = await gw.call("PUT", "/v1/nothing-here");
    expect(nowhere.status).toBe(404);
  });

  it("sends a browser that opens the gateway's address to the API reference", async () => {
    const root = await gw.app.request("/");
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/docs");
  });
});
