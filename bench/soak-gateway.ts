import { type ChildGateway, startChildGateway } from "./child-gateway";

/** One run of the gateway's process, from its start to its kill (or the clean stop at the end). */
export type Incarnation = { pid: number; startedAtMs: number; readyAfterMs: number; opsAtStart: number };

/**
 * The gateway under soak: its own process started as `npm start` runs it (bench/child-gateway.ts), always on the same
 * file and port, so a restart after a kill is the same gateway to its clients. Delivers webhooks to loopback (the
 * receiver), without request limits (the soak measures durability, not the limiter), with quotes that outlive a
 * restart.
 */
export function soakGateway(file: string, port: number) {
  let current: ChildGateway | undefined;
  const incarnations: Incarnation[] = [];
  const env = {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    RATE_LIMIT_REQUESTS_PER_MINUTE: "10000000",
    QUOTE_TTL_SECONDS: "3600",
    LOG_LEVEL: "error",
  };
  const since = performance.now();
  // A soak that fails on its own takes its gateway with it, rather than leaving it serving the port.
  process.on("exit", () => {
    if (current?.alive()) process.kill(current.pid, "SIGKILL");
  });
  return {
    url: `http://127.0.0.1:${port}`,
    incarnations,
    pid: () => current?.pid,
    /** Starts the gateway and waits until it answers `/health`; `opsAtStart` dates it in the workload. */
    async start(opsAtStart: number) {
      const startedAtMs = performance.now() - since;
      current = await startChildGateway(file, { port, env });
      incarnations.push({
        pid: current.pid,
        startedAtMs,
        readyAfterMs: performance.now() - since - startedAtMs,
        opsAtStart,
      });
    },
    /** SIGKILL, then waits for the process to be gone. */
    crash: () => current?.crash(),
    /** SIGTERM: the gateway's own clean shutdown. */
    stop: () => current?.stop(),
  };
}

export type SoakGateway = ReturnType<typeof soakGateway>;
