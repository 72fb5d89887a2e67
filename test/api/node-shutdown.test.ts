import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { startGateway, tempDatabaseUrl } from "../support/node-process";

type Answer = { status: number; connection: string | undefined; body: string };

/** Reads a whole answer of `request`; resolves with its status, `Connection` header and body. */
const answerOf = (request: http.ClientRequest) =>
  new Promise<Answer>((resolve, reject) => {
    request.on("error", reject);
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("latin1");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }),
      );
      response.on("error", reject);
    });
  });

/** A raw connection, to send a request in pieces and see exactly what the server does with the socket. */
function rawConnection(port: number) {
  const socket = net.connect(port, "localhost");
  let received = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk) => {
    received += chunk;
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  const connected = new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return { socket, received: () => received, closed, connected };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the Node entry's shutdown", { timeout: 60_000 }, () => {
  it("on SIGINT under keep-alive load: refuses new connections, answers what is under way with Connection: close, closes idle connections and exits 0 at once", async () => {
    const gateway = startGateway({ DATABASE_URL: tempDatabaseUrl() });
    const url = await gateway.listening();
    const port = Number(new URL(url).port);

    // Warm up the API reference's script (read and gzipped on first use), then start reading it slowly.
    await fetch(`${url}/docs/scalar.js`).then((response) => response.arrayBuffer());
    const streamingAgent = new http.Agent({ keepAlive: true });
    const streaming = http.get({ port, path: "/docs/scalar.js", agent: streamingAgent });
    let held: http.IncomingMessage | undefined;
    const streamed = new Promise<{ length: number; expected: number; connection: string | undefined }>(
      (resolve, reject) => {
        streaming.on("error", reject);
        streaming.on("response", (response) => {
          held = response;
          let length = 0;
          response.on("data", (chunk: Buffer) => {
            length += chunk.length;
            if (length === chunk.length) response.pause(); // hold the answer mid-write until after the signal
          });
          response.on("end", () =>
            resolve({
              length,
              expected: Number(response.headers["content-length"]),
              connection: response.headers.connection,
            }),
          );
        });
      },
    );

    // An idle keep-alive connection: one request answered, nothing more sent.
    const idle = rawConnection(port);
    await idle.connected;
    idle.socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    // A keep-alive connection with its next request half sent (the head's last line is missing).
    const halfSent = rawConnection(port);
    await halfSent.connected;
    halfSent.socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\n");
    // A request in flight: its body is half sent.
    const body = "grant_type=client_credentials";
    const inFlightAgent = new http.Agent({ keepAlive: true });
    const inFlight = http.request({
      port,
      method: "POST",
      path: "/oauth/token",
      agent: inFlightAgent,
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": body.length },
    });
    const inFlightAnswer = answerOf(inFlight);
    inFlight.write(body.slice(0, 10));

    // Load: four keep-alive connections, each sending one request after another until the server stops them.
    const loadAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const statuses: number[] = [];
    const load = Array.from({ length: 4 }, async () => {
      for (;;) {
        try {
          statuses.push((await answerOf(http.get({ port, path: "/health", agent: loadAgent }))).status);
        } catch (error) {
          return (error as NodeJS.ErrnoException).code;
        }
      }
    });
    await sleep(300);
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 .*\r\nConnection: keep-alive\r\n/s);
    expect(statuses.length).toBeGreaterThan(0);

    const signalledAt = Date.now();
    gateway.child.kill("SIGINT");
    await gateway.waitFor(/"shutting down"/);

    // The listener is closed: a new connection is refused while the answers under way are still open.
    const refused = await new Promise<string | undefined>((resolve) =>
      net
        .connect(port, "localhost")
        .once("connect", () => resolve(undefined))
        .once("error", (error: NodeJS.ErrnoException) => resolve(error.code)),
    );
    expect(refused).toBe("ECONNREFUSED");
    // The idle connection is closed by the server.
    await idle.closed;

    // What was under way is answered in full, with Connection: close.
    halfSent.socket.write("\r\n");
    await halfSent.closed;
    expect(halfSent.received()).toMatch(/^HTTP\/1\.1 200 .*\r\nConnection: close\r\n.*"status":"ok"/s);
    inFlight.end(body.slice(10));
    const answer = await inFlightAnswer;
    expect(answer.status).toBe(401); // no client credentials were sent: the request ran to its answer
    expect(answer.connection).toBe("close");
    held?.resume();
    const script = await streamed;
    expect(script.length).toBe(script.expected);
    expect(script.expected).toBeGreaterThan(1_000_000);

    // The load stopped, every answer it got was a whole 200, and the process is gone.
    expect(await gateway.exited).toBe(0);
    const took = Date.now() - signalledAt;
    await Promise.all(load);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(took).toBeLessThan(2000);
    expect(gateway.output()).toMatch(/"message":"shut down","signal":"SIGINT"/);
    for (const agent of [streamingAgent, inFlightAgent, loadAgent]) agent.destroy();
  });
});
