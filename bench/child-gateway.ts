import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { operator } from "./gateway";

/** A free TCP port on 127.0.0.1, for a child to listen on. */
async function freePort(): Promise<number> {
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
 * Answers once `GET /health` does, with an operator token.
 */
export async function startChildGateway(file: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "gateway/src/node.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: `file:${file}`,
      PORT: String(port),
      OPERATOR_CLIENT_ID: operator.clientId,
      OPERATOR_CLIENT_SECRET: operator.secret,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
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
  return {
    url,
    token,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
