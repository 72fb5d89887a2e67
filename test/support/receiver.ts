import { createServer, type IncomingHttpHeaders } from "node:http";

export type Received = { headers: IncomingHttpHeaders; rawBody: string; at: number };

/**
 * A real webhook receiver on 127.0.0.1 and a free port. It records every request's headers and raw body
 * exactly as they arrived, and answers with `respond()`'s status (200 unless a test changes it).
 */
export async function startReceiver() {
  const received: Received[] = [];
  let respond: () => { status: number; body?: string } = () => ({ status: 200, body: "ok" });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, rawBody: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const answer = respond();
      response.writeHead(answer.status, { "Content-Type": "text/plain" }).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("receiver has no port");
  return {
    url: `http://127.0.0.1:${address.port}/hooks`,
    received,
    /** Sets how the receiver answers from now on. */
    answer(next: typeof respond) {
      respond = next;
    },
    /** Waits until `count` requests have arrived (or fails after `timeoutMs`). */
    async waitFor(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhooks, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
