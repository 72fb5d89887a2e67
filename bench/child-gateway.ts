import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { operator } from "./gateway";

/** A free TCP port on 127.0.0.1, for a child to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * The gateway in a process of its own on `file`, started as `npm start` starts it (`node --import tsx
 * gateway/src/node.ts`, with the Node that runs the bench): its own event loop, its scheduled jobs every minute.
 * Answers once `GET /health` does, with an operator token. `port` fixes the port (the crash soak restarts the
 * gateway on the same one) and `env` adds settings.
 */
export async function startChildGateway(file: string, options: { port?: number; env?: Record<string, string> } = {}) {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "gateway/src/node.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: `file:${file}`,
      PORT: String(port),
      OPERATOR_CLIENT_ID: operator.clientId,
      OPERATOR_CLIENT_SECRET: operator.secret,
      LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = once(child, "exit");
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
    const up = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error("the gateway did not answer /health in 120 s");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const response = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: operator.clientId,
      client_secret: operator.secret,
    }),
  });
  const token = ((await response.json()) as { access_token: string }).access_token;
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    token,
    pid: child.pid as number,
    alive,
    async stop() {
      if (!alive()) return;
      child.kill("SIGTERM");
      await exited;
    },
    /** SIGKILL: the gateway dies where it stands, as on a crash (no shutdown, no drain). */
    async crash() {
      if (!alive()) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

export type ChildGateway = Awaited<ReturnType<typeof startChildGateway>>;
