import { z } from "zod";
import { parseShardSettings } from "./db/shards/router";

const booleanString = z
  .enum(["true", "false", "1", "0"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1");

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/**
 * Why a DATABASE_URL cannot be opened, or undefined when it can. A bare path is the likely slip (libSQL
 * needs the `file:` scheme), so it gets the fix spelled out.
 */
function databaseUrlProblem(url: string): string | undefined {
  if (url === ":memory:" || /^(file:|libsql:|https?:|wss?:)/.test(url)) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return `is a bare path; a file needs the file: scheme, as in file:${url}`;
  return "must be a file: path, :memory:, or a libsql://, https:// or wss:// URL";
}

/**
 * Every setting of the gateway, with its default (README "Settings" lists them).
 * The same schema parses `process.env` on Node and the bindings object on Workers.
 */
export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    DATABASE_URL: z
      .string()
      .default("file:./data/gateway.db")
      .superRefine((url, ctx) => {
        const problem = databaseUrlProblem(url);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    DATABASE_AUTH_TOKEN: z.string().optional(),
    DATABASE_SHARDS: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        try {
          parseShardSettings(value);
        } catch (error) {
          // parseShardSettings names the setting itself; parseConfig puts the name in front again.
          ctx.addIssue({ code: "custom", message: String((error as Error).message).replace(/^DATABASE_SHARDS: /, "") });
        }
      }),
    OPERATOR_CLIENT_ID: z.string().min(8).max(255).optional(),
    OPERATOR_CLIENT_SECRET: z.string().min(24, "must be at least 24 characters").max(255).optional(),
    JWT_PRIVATE_JWK: z
      .string()
      .optional()
      .refine(
        (value) => {
          if (value === undefined) return true;
          try {
            const jwk = JSON.parse(value);
            return typeof jwk === "object" && jwk !== null && "d" in jwk;
          } catch {
            return false;
          }
        },
        { message: "must be a private JWK as JSON (ES256 or EdDSA, with a `d` member)" },
      ),
    // The Workers default; on Node, parseConfig makes the default follow the listening port.
    PUBLIC_URL: z.url().default("http://localhost:8787"),
    JWT_AUDIENCE: z.string().min(1).default("coalition-gateway"),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(900),
    UPSTASH_REDIS_REST_URL: z.url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
    QUOTE_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    RATE_LIMIT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6000),
    RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
    TRUST_FORWARDED_FOR: booleanString.default(false),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanString.default(false),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    SANDBOX: booleanString.default(false),
  })
  .superRefine((config, ctx) => {
    if (Boolean(config.OPERATOR_CLIENT_ID) !== Boolean(config.OPERATOR_CLIENT_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: [config.OPERATOR_CLIENT_ID ? "OPERATOR_CLIENT_SECRET" : "OPERATOR_CLIENT_ID"],
        message: "OPERATOR_CLIENT_ID and OPERATOR_CLIENT_SECRET must be set together",
      });
    }
    if (Boolean(config.UPSTASH_REDIS_REST_URL) !== Boolean(config.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [config.UPSTASH_REDIS_REST_URL ? "UPSTASH_REDIS_REST_TOKEN" : "UPSTASH_REDIS_REST_URL"],
        message: "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together",
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** One line per setting, for `--help` and the README table. */
export const configHelp: Record<keyof z.input<typeof configSchema>, string> = {
  PORT: "HTTP port of the Node server (default 8787)",
  DATABASE_URL:
    "file:./data/gateway.db (default), :memory:, or a libSQL server URL (libsql://, https://, http://; wss:// on Node only); on Workers without it the D1 binding DB is used",
  DATABASE_AUTH_TOKEN: "auth token for a Turso/libSQL server URL",
  DATABASE_SHARDS:
    "further databases holding programs, as name=url pairs separated by commas (docs/scale-out.md); on Workers name=d1:BINDING makes that D1 binding a shard",
  OPERATOR_CLIENT_ID:
    "operator client id (with OPERATOR_CLIENT_SECRET); else one is created and printed on first start",
  OPERATOR_CLIENT_SECRET: "operator client secret, at least 24 characters",
  JWT_PRIVATE_JWK: "private JWK (JSON) signing access tokens; else a key is generated and kept in the database",
  PUBLIC_URL:
    "the gateway's public base URL: `iss` of access tokens and base of portal links (default http://localhost:$PORT on Node, http://localhost:8787 on Workers)",
  JWT_AUDIENCE: "`aud` of access tokens (default coalition-gateway)",
  ACCESS_TOKEN_TTL_SECONDS: "access token lifetime, 60..900 seconds (default 900)",
  UPSTASH_REDIS_REST_URL:
    "Upstash Redis REST URL: request limits and velocity rules shared by every process and edge location; else in-process",
  UPSTASH_REDIS_REST_TOKEN: "Upstash Redis REST token",
  QUOTE_TTL_SECONDS: "how long a conversion quote holds its rate (default 60)",
  RATE_LIMIT_REQUESTS_PER_MINUTE:
    "requests per minute per credential (partners and operator) unless a partner's requests_per_minute says otherwise (default 6000)",
  RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE:
    "POST /oauth/token: failed attempts per minute per client id and address (5x per address), and tokens issued per client id; failed portal sign-ins per address (default 60)",
  TRUST_FORWARDED_FOR:
    "true takes the client address from X-Forwarded-For (only behind a proxy that sets it; default false)",
  WEBHOOK_ALLOW_PRIVATE_TARGETS: "true lets webhook endpoints point at loopback/private addresses (default false)",
  BODY_LIMIT_BYTES: "largest accepted request body (default 65536)",
  LOG_LEVEL: "debug, info (default), warn, error or silent",
  SANDBOX:
    "true makes this deployment a sandbox: a test clock moved by the operator and scheduled jobs run on request under /v1/sandbox (default false). Never in production.",
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses settings once; throws a ConfigError naming every bad variable. The Node entry passes the port its
 * server listens on (PORT, or the one the system picked for 0), which an unset PUBLIC_URL then follows.
 * Workers pass none, since PORT has no effect there: their default stays `wrangler dev`'s address.
 */
export function parseConfig(source: Record<string, unknown>, host: { listeningPort?: number } = {}): Config {
  const known = Object.fromEntries(Object.keys(configHelp).map((name) => [name, emptyAsUndefined(source[name])]));
  const result = configSchema.safeParse(known);
  if (result.success) {
    if (known.PUBLIC_URL !== undefined || host.listeningPort === undefined) return result.data;
    return { ...result.data, PUBLIC_URL: `http://localhost:${host.listeningPort}` };
  }
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "config");
      // DATABASE_SHARDS's message quotes only the faulty pair: its URLs may carry auth tokens.
      const value = known[name];
      const shown =
        value === undefined || /SECRET|TOKEN|JWK|SHARDS/.test(name) ? "" : ` (got ${JSON.stringify(value)})`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}
