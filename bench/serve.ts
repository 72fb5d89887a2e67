import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";

export type Served = { url: string; close: () => Promise<void> };

/**
 * Serves a request listener on 127.0.0.1 and a random free port: the gateway's is the one gateway/src/node.ts serves
 * (node-listener.ts, without its graceful shutdown, which costs nothing per request), the hello-world baseline's is
 * @hono/node-server's adaptor, as the gateway's app gets.
 */
export function serveOnLoopback(listener: RequestListener): Promise<Served> {
  const server = createServer(listener);
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            // Keep-alive sockets of the finished load generator must not hold the close open.
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** A fetch handler served as the app is, through @hono/node-server's adaptor. */
export const viaAdaptor = (fetch: (request: Request) => Response | Promise<Response>): RequestListener =>
  getRequestListener(fetch) as RequestListener;
