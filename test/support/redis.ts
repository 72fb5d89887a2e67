import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import type { Redis } from "@upstash/redis";
import { createUpstashRedis } from "../../gateway/src/limits/upstash";

/**
 * A real Redis behind an Upstash-compatible REST API, for tests of @upstash/ratelimit and @upstash/redis.
 *
 * Redis: the one at 127.0.0.1:6379 when it answers PING (this machine kind and CI run one); otherwise a
 * `redis-server` started here on a free port without persistence, stopped by `stop()`.
 * REST: `@humanwhocodes/upstash-redis-server` in a child Node process on a free port, in front of that Redis.
 * The child exits when this process does (it watches its stdin), so a crashed test run leaves nothing behind.
 *
 * Clients for this server need `responseEncoding: false` (it answers plain JSON, never base64); `client()`
 * builds them so. Every server gets a unique `prefix`, so runs and test files never share keys; limiter keys
 * expire by themselves (PEXPIRE 2 windows + 1 s), nothing needs cleaning up.
 */
export interface RedisRestServer {
  /** The REST base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  /** redis://… of the Redis behind it. */
  redisUrl: string;
  /** A key prefix unique to this server instance (this test run). */
  prefix: string;
  /** A new @upstash/redis client for this server, as a separate gateway process would have. */
  client(): Redis;
  /** Stops the REST server (so it is unreachable: connections are refused) and any Redis started for it. */
  stop(): Promise<void>;
}

const REDIS_HOST = "127.0.0.1";
const DEFAULT_REDIS_PORT = 6379;
const READY_TIMEOUT_MS = 15_000;
/** The repository root: the child resolves its packages from there. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Starts the REST server in front of the local Redis (or a Redis of its own), ready to answer. */
export async function startRedisRestServer(
  options: {
    /** Put the REST server in front of this Redis instead (e.g. a closed port, to get a REST API without Redis). */
    redisUrl?: string;
  } = {},
): Promise<RedisRestServer> {
  let ownRedis: ChildProcess | undefined;
  let redisUrl = options.redisUrl;
  if (!redisUrl) {
    if (await redisAnswers(DEFAULT_REDIS_PORT)) {
      redisUrl = `redis://${REDIS_HOST}:${DEFAULT_REDIS_PORT}`;
    } else {
      const started = await startOwnRedis();
      ownRedis = started.process;
      redisUrl = `redis://${REDIS_HOST}:${started.port}`;
    }
  }

  const token = `test-${randomBytes(12).toString("hex")}`;
  const rest = await startRestProcess(token, redisUrl, { waitForRedis: !options.redisUrl });
  const url = `http://${REDIS_HOST}:${rest.port}`;
  const prefix = `test:${Date.now().toString(36)}:${randomBytes(4).toString("hex")}`;

  let stopped = false;
  return {
    url,
    token,
    redisUrl,
    prefix,
    client: () => createUpstashRedis(url, token, { responseEncoding: false }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcess(rest.process);
      if (ownRedis) await stopProcess(ownRedis);
    },
  };
}

/** A URL on which nothing listens: every request is refused at once. */
export async function closedPortUrl(): Promise<string> {
  return `http://${REDIS_HOST}:${await freePort()}`;
}

/**
 * A TCP server that accepts connections and never answers, like a Redis REST endpoint behind a dead network
 * path: requests hang until the client gives up, so only the limiter's timeout ends them.
 */
export async function startSilentServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, REDIS_HOST, resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("silent server has no port");
  return {
    url: `http://${REDIS_HOST}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** True when something at 127.0.0.1:`port` answers a Redis PING. */
async function redisAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: REDIS_HOST, port });
    let reply = "";
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.on("error", () => done(false));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, REDIS_HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

async function startOwnRedis(): Promise<{ process: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", REDIS_HOST, "--save", "", "--appendonly", "no", "--daemonize", "no"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const stopOnExit = () => child.kill("SIGKILL");
  process.once("exit", stopOnExit);
  child.once("exit", () => process.off("exit", stopOnExit));
  const failed = new Promise<never>((_, reject) => {
    child.once("error", (error) => reject(new Error(`could not start redis-server: ${error.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  failed.catch(() => {});
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await redisAnswers(port, 200))) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server on port ${port} did not answer within ${READY_TIMEOUT_MS} ms`);
    }
    await Promise.race([failed, sleep(50)]);
  }
  return { process: child, port };
}

/**
 * The REST server in a child process, so stopping it really closes every connection (a refused port), and
 * its own Redis connection goes with it. It prints its port once listening, and exits when our pipe closes.
 */
async function startRestProcess(
  token: string,
  redisUrl: string,
  { waitForRedis }: { waitForRedis: boolean },
): Promise<{ process: ChildProcess; port: number }> {
  const script = `
    import { createHash } from "node:crypto";
    import { serve } from "@hono/node-server";
    import { createApp } from "@humanwhocodes/upstash-redis-server";
    const app = createApp({ token: process.env.URS_TOKEN, redisUrl: process.env.REDIS_URL });
    ${UPSTASH_LUA_FLAGS_SHIM}
    serve({ fetch: (request) => shim(request, app.fetch), port: 0, hostname: "${REDIS_HOST}" }, (info) => {
      process.stdout.write(JSON.stringify({ port: info.port }) + "\\n");
    });
    process.stdin.on("end", () => process.exit(0));
    process.stdin.on("error", () => process.exit(0));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { ...process.env, URS_TOKEN: token, REDIS_URL: redisUrl },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    // The server logs every Redis connection error; keep only the start, for a failure message.
    if (stderr.length < 4000) stderr += chunk.toString("utf8");
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`upstash-redis-server did not start within ${READY_TIMEOUT_MS} ms: ${stderr}`));
    }, READY_TIMEOUT_MS);
    child.stdout?.on("data", (chunk) => {
      stdout += chunk.toString("utf8");
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`upstash-redis-server exited with ${code}: ${stderr}`));
    });
  });
  // Ready means the REST API reaches Redis, not only that the port is open.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (waitForRedis) {
    try {
      const response = await fetch(`http://${REDIS_HOST}:${port}/`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(["PING"]),
      });
      const body = (await response.json()) as { result?: unknown };
      if (body.result === "PONG") break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`upstash-redis-server did not reach ${redisUrl} within ${READY_TIMEOUT_MS} ms: ${stderr}`);
    }
    await sleep(50);
  }
  return { process: child, port };
}

/**
 * Upstash accepts a Lua shebang flag that open-source Redis does not: @upstash/ratelimit 2.2 starts every limit
 * script with `#!lua flags=allow-key-locking` (Upstash then locks only the script's KEYS), and Redis 7 answers
 * "ERR Unexpected flag in script shebang: allow-key-locking". Like Upstash, the test server accepts the flag:
 * it drops it from EVAL scripts before Redis sees them and maps the client's EVALSHA hash (of the script as
 * sent) to the hash Redis knows. The scripts themselves run unchanged. JavaScript for the child process.
 */
const UPSTASH_LUA_FLAGS_SHIM = `
  const sha1 = (text) => createHash("sha1").update(text).digest("hex");
  const redisSha = new Map();
  const withoutUpstashFlags = (script) =>
    script.replace(/^#!lua flags=([^\\n]*)/, (_, flags) => {
      const kept = flags.split(",").map((f) => f.trim()).filter((f) => f && f !== "allow-key-locking");
      return kept.length ? "#!lua flags=" + kept.join(",") : "";
    });
  const rewrite = (command) => {
    if (!Array.isArray(command) || typeof command[1] !== "string") return command;
    const name = String(command[0]).toUpperCase();
    if (name === "EVAL" || name === "EVAL_RO") {
      const script = withoutUpstashFlags(command[1]);
      if (script !== command[1]) redisSha.set(sha1(command[1]), sha1(script));
      return [command[0], script, ...command.slice(2)];
    }
    if (name === "EVALSHA" || name === "EVALSHA_RO") {
      const known = redisSha.get(command[1].toLowerCase());
      return known ? [command[0], known, ...command.slice(2)] : command;
    }
    return command;
  };
  const shim = async (request, next) => {
    const path = new URL(request.url).pathname;
    if (request.method !== "POST" || (path !== "/" && path !== "/pipeline")) return next(request);
    const text = await request.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (Array.isArray(body)) body = path === "/" ? rewrite(body) : body.map(rewrite);
    const forwarded = body === undefined ? text : JSON.stringify(body);
    const headers = new Headers(request.headers);
    headers.delete("content-length");
    return next(new Request(request.url, { method: "POST", headers, body: forwarded }));
  };
`;

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
  await exited;
  clearTimeout(timer);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
