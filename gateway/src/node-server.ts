import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StartError } from "./start-error";

/** Listens on `port` and answers the port listened on; a busy or forbidden port is a one-line StartError. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const problem =
        error.code === "EADDRINUSE"
          ? `Port ${port} is already in use: stop the program using it, or set PORT to another port.`
          : error.code === "EACCES"
            ? `Not allowed to listen on port ${port}: set PORT to a port above 1023.`
            : `Cannot listen on port ${port}: ${error.message}`;
      reject(new StartError(problem));
    };
    server.once("error", failed);
    server.listen(port, () => {
      server.off("error", failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Graceful stop for a Node HTTP server. Call it before the server takes its first request; it keeps the
 * responses under way. `drain()` stops taking connections and closes idle keep-alive connections at once.
 * Responses not yet started when it is called, and requests that still arrive on open connections, are
 * answered with `Connection: close`, so each connection closes after its answer. A response already
 * streaming finishes, and its connection is closed as soon as it is idle. `drain()` resolves once every
 * connection is closed.
 *
 * Without this, `server.close()` only stops new connections: a client that keeps its keep-alive
 * connections busy is served indefinitely.
 */
export function drainable(server: Server): { drain(): Promise<void>; inFlight(): number } {
  const open = new Set<ServerResponse>();
  let draining = false;
  // Prepended, so it runs before the app's own listener can write the head of the response.
  server.prependListener("request", (_request, response: ServerResponse) => {
    if (draining) response.shouldKeepAlive = false;
    open.add(response);
    response.once("close", () => {
      open.delete(response);
      if (draining) server.closeIdleConnections();
    });
  });
  return {
    inFlight: () => open.size,
    drain() {
      draining = true;
      for (const response of open) if (!response.headersSent) response.shouldKeepAlive = false;
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
