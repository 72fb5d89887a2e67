import { once } from "node:events";
import { createServer } from "node:http";
import { Webhook } from "svix";

/**
 * The partners' webhook receiver: node:http on 127.0.0.1, one path per endpoint. Each delivery's signature is
 * verified with svix's `Webhook` over the raw body (as a partner would); a verified one answers 204 and its event id
 * is recorded (more than once is fine: delivery is at least once). One that fails verification answers 400, which
 * the gateway retries, and is counted: the soak reports it.
 */
export async function startReceiver() {
  const verifiers = new Map<string, Webhook>();
  const received = new Set<string>();
  const stats = { deliveries: 0, duplicates: 0, rejected: 0, rejections: [] as string[] };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const verifier = verifiers.get(request.url ?? "");
      // An endpoint whose secret is not known yet (its creation is still being answered): the gateway tries again.
      if (!verifier) return response.writeHead(503).end();
      try {
        verifier.verify(Buffer.concat(chunks), request.headers as Record<string, string>);
      } catch (error) {
        stats.rejected += 1;
        if (stats.rejections.length < 10) stats.rejections.push(`${request.headers["webhook-id"]}: ${String(error)}`);
        return response.writeHead(400).end();
      }
      const id = String(request.headers["webhook-id"]);
      stats.deliveries += 1;
      if (received.has(id)) stats.duplicates += 1;
      else received.add(id);
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the receiver has no port");

  return {
    /** The URL an endpoint at `path` gets (WEBHOOK_ALLOW_PRIVATE_TARGETS lets the gateway send to loopback). */
    urlOf: (path: string) => `http://127.0.0.1:${address.port}${path}`,
    /** From now on deliveries to `path` are verified with `secret`. */
    accept(path: string, secret: string) {
      verifiers.set(path, new Webhook(secret));
    },
    received,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
