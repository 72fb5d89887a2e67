import { createServer, request as httpRequest, type OutgoingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeListener } from "../../gateway/src/node-listener";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

/**
 * The Node entry answers `GET /v1/programs/{program_id}/members/{external_id}` without the app when all it needs is in
 * memory (gateway/src/node-listener.ts). Each request here goes to two servers on the same gateway: the Node entry's
 * listener, and the app alone through @hono/node-server's adaptor; the answers must be the same, headers, body and log
 * line, whether the listener answered itself or handed the request to the app.
 */
let gw: TestGateway;
let onNode: string;
let appAlone: string;
let appCalls = 0;
const servers: Server[] = [];

async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  gw = await createTestGateway({ LOG_LEVEL: "info" });
  const fetch = (request: Request, env: unknown) => {
    appCalls++;
    return gw.app.fetch(request, env as object);
  };
  onNode = await serve(nodeListener(fetch, () => gw.deps));
  appAlone = await serve(getRequestListener((request, env) => gw.app.fetch(request, env)) as never);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  await gw.close();
});

type Seen = { status: number; headers: Record<string, string>; body: string; byApp: boolean; log: unknown };

/** One request to a server: what came back, whether the app served it, and its log line (ids and timings aside). */
async function send(base: string, path: string, init: RequestInit = {}): Promise<Seen> {
  const calls = appCalls;
  const logs = gw.logs.length;
  const response = await fetch(base + path, init);
  const body = await response.text();
  const headers = Object.fromEntries(
    [...response.headers]
      .filter(([name]) => !["date", "request-id", "keep-alive", "connection"].includes(name))
      .map(([name, value]) => [name, value.replace(/;r=\d+;t=\d+/, ";r=R;t=T")]),
  );
  const requestId = response.headers.get("request-id");
  const lines = gw.logs.slice(logs).filter((entry) => entry.message === "request");
  expect(lines).toHaveLength(1);
  const line = lines[0] as Record<string, unknown>;
  expect(line.request_id).toBe(requestId);
  const { request_id: _, duration_ms: __, ...log } = line;
  return {
    status: response.status,
    headers,
    body: body.replace(/"request_id":"[^"]*"/, '"request_id":"R"'),
    byApp: appCalls > calls,
    log,
  };
}

/** The same request to both servers: equal answers; says whether the Node entry's listener needed the app. */
async function both(path: string, token: string, headers: Record<string, string> = {}) {
  const init = { headers: { Authorization: `Bearer ${token}`, ...headers } };
  const node = await send(onNode, path, init);
  const alone = await send(appAlone, path, init);
  expect({ ...node, byApp: undefined }).toEqual({ ...alone, byApp: undefined });
  return node;
}

/** A request exactly as written (fetch would resolve `.` segments and refuse repeated headers): status, and by whom. */
async function raw(base: string, path: string, headers: OutgoingHttpHeaders | string[]) {
  const calls = appCalls;
  const status = await new Promise<number>((resolve, reject) => {
    const sent = httpRequest(`${base}${path}`, { headers, setHost: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    sent.on("error", reject);
    sent.end();
  });
  return { status, byApp: appCalls > calls };
}

describe("the member read answered on Node without the app (node-listener.ts)", () => {
  it("answers a warm read itself, the same as the app to the header and log line; a first read goes to the app", async () => {
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    expect((await move("earn", member, 250)).status).toBe(201);
    const path = `/v1/programs/${programId}/members/${member}`;
    const first = await send(onNode, path, { headers: { Authorization: `Bearer ${owner.token}` } });
    expect(first.status).toBe(200);
    const warm = await both(path, owner.token);
    expect(warm).toMatchObject({ status: 200, byApp: false });
    expect(JSON.parse(warm.body).balance.available).toBe(250);
    expect(warm.headers).toMatchObject({
      "content-type": "application/json",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      ratelimit: '"partner";r=R;t=T',
    });
    expect(warm.log).toMatchObject({ route: "/v1/programs/:program_id/members/:external_id", status: 200 });
  });

  it("hands the app what it does not answer itself: 404, a missing scope, a query, escapes, a bad id, a bad token", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol("M:1@x");
    const path = `/v1/programs/${programId}/members/${member}`;
    expect((await both(path, owner.token)).status).toBe(200);
    const readOnly = await gw.token(owner.clientId, owner.secret, "points:earn");
    // Another partner, warm on its own program: this program's member stays out of its reach on either path.
    const stranger = await setupProgram(gw);
    const strangers = `/v1/programs/${stranger.programId}/members/${await stranger.enrol()}`;
    expect((await both(strangers, stranger.owner.token)).status).toBe(200);
    expect(await both(strangers, stranger.owner.token)).toMatchObject({ status: 200, byApp: false });
    const cases: [string, string, number][] = [
      [`/v1/programs/${programId}/members/NOPE`, owner.token, 404],
      [`/v1/programs/prg_nope/members/${member}`, owner.token, 404],
      [path, readOnly, 403],
      [path, stranger.owner.token, 404],
      [`${path}?x=1`, owner.token, 200],
      [`/v1/programs/${programId}/members/M%3A1%40x`, owner.token, 200],
      [`/v1/programs/${programId}/members/${"x".repeat(129)}`, owner.token, 400],
      [path, "not-a-token", 401],
    ];
    for (const [asked, token, status] of cases) expect(await both(asked, token)).toMatchObject({ status, byApp: true });

    // What only a raw request sends: dot segments, two Authorization headers, a bad or missing Host.
    const host = new URL(onNode).host;
    const bearer = `Bearer ${owner.token}`;
    const rawCases: [string, OutgoingHttpHeaders | string[]][] = [
      [path, { host, authorization: bearer }],
      [`/v1/programs/${programId}/members/.`, { host, authorization: bearer }],
      [`/v1/programs/${programId}/members/..`, { host, authorization: bearer }],
      [path, ["Host", host, "Authorization", bearer, "Authorization", bearer]],
      [path, { host: "bad host", authorization: bearer }],
      [path, { authorization: bearer }],
    ];
    const seen = [];
    for (const [asked, headers] of rawCases) {
      const node = await raw(onNode, asked, headers);
      const alone = await raw(appAlone, asked, headers);
      expect(node.status).toBe(alone.status);
      seen.push(node);
    }
    // A bad or missing Host is refused by @hono/node-server (or Node) before the app's fetch: 400 either way.
    expect(seen.map((each) => each.status)).toEqual([200, 405, 405, 401, 400, 400]);
    expect(seen.slice(0, 4).map((each) => each.byApp)).toEqual([false, true, true, true]);
  });

  it("hands the app a read of a suspended partner, and every read in a sandbox", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const path = `/v1/programs/${programId}/members/${member}`;
    expect(await both(path, owner.token)).toMatchObject({ status: 200, byApp: false });
    const operator = await gw.operatorToken();
    const setStatus = (verb: "suspend" | "reactivate") =>
      gw.call("POST", `/v1/partners/${owner.partner.id}/${verb}`, { token: operator, body: {} });
    expect((await setStatus("suspend")).status).toBe(200);
    const auth = { headers: { Authorization: `Bearer ${owner.token}` } };
    expect(await send(onNode, path, auth)).toMatchObject({ status: 403, byApp: true });
    expect(await both(path, owner.token)).toMatchObject({ status: 403, byApp: true });
    expect((await setStatus("reactivate")).status).toBe(200);
    expect(await both(path, owner.token)).toMatchObject({ status: 200, byApp: true });
    expect(await both(path, owner.token)).toMatchObject({ status: 200, byApp: false });

    // In a sandbox the app's middleware moves the clock first: the listener never answers.
    const sandboxed = { ...gw.deps, sandboxClock: gw.deps.clock as never };
    const inSandbox = await serve(
      nodeListener(
        (request, env) => {
          appCalls++;
          return gw.app.fetch(request, env as object);
        },
        () => sandboxed,
      ),
    );
    const calls = appCalls;
    expect((await fetch(inSandbox + path, auth)).status).toBe(200);
    expect(appCalls).toBe(calls + 1);
  });

  it("hands the app a read once the credential is revoked, which answers 401", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const path = `/v1/programs/${programId}/members/${member}`;
    expect(await both(path, owner.token)).toMatchObject({ status: 200, byApp: false });
    const revoked = await gw.call("DELETE", `/v1/partners/${owner.partner.id}/credentials/${owner.clientId}`, {
      token: await gw.operatorToken(),
    });
    expect(revoked.status).toBeLessThan(300);
    // The first refusal is the app's on a standing it remembered (counted, with RateLimit headers), later ones on a
    // standing read again: compare those, each way.
    const auth = { headers: { Authorization: `Bearer ${owner.token}` } };
    expect(await send(onNode, path, auth)).toMatchObject({ status: 401, byApp: true });
    expect(await both(path, owner.token)).toMatchObject({ status: 401, byApp: true });
  });

  it("counts each read it answers against the partner's limit, and answers the 429 as the app does", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const operator = await gw.operatorToken();
    const limited = await gw.call("PATCH", `/v1/partners/${owner.partner.id}`, {
      token: operator,
      body: { requests_per_minute: 4 },
    });
    expect(limited.status).toBe(200);
    // A credential of its own, so only these reads count: two to each server, then the fifth is refused.
    const credential = await gw.call("POST", `/v1/partners/${owner.partner.id}/credentials`, { token: operator });
    const token = await gw.token(credential.body.client_id, credential.body.client_secret);
    const path = `/v1/programs/${programId}/members/${member}`;
    const seen = [await both(path, token), await both(path, token)];
    expect(seen.map((each) => [each.status, each.byApp])).toEqual([
      [200, true],
      [200, false],
    ]);
    const refused = await both(path, token);
    expect(refused).toMatchObject({ status: 429, byApp: false });
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(JSON.parse(refused.body).code).toBe("rate_limited");
  });
});
