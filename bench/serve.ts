import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export type Served = { url: string; close: () => Promise<void> };

/**
 * Serves a fetch handler with @hono/node-server's adaptor, the one gateway/src/node.ts uses (without its
 * graceful shutdown, which costs nothing per request), on 127.0.0.1 and a random free port. The hello-world
 * baseline and the gateway both go through here, so they compare fairly.
 */
export function serveOnLoopback(fetch: (request: Request) => Response | Promise<Response>): Promise<Served> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            // Keep-alive sockets of the finished load generator must not hold the close open.
            if ("closeAllConnections" in server) server.closeAllConnections();
          }),
      });
    });
  });
}
