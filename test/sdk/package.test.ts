import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkReadmeExample } from "../support/sdk-readme";

/**
 * The SDK as a consumer gets it: `npm pack` in sdk/ (its prepack builds dist/esm and dist/cjs), the tarball
 * installed into a fresh project outside this repository, then type-checked (strict, noUncheckedIndexedAccess,
 * nodenext, from an ES module and from CommonJS) and run with node through `require` and `import`.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
const run = promisify(execFile);

let temp: string;
let consumer: string;
let tarball: string;

/** Runs a command; a failure's message carries its output. */
async function sh(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(command, args, { cwd, env: childEnv(), maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}

/** This process's environment without what `npm run`/`npm test` sets for this repository's own package. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^npm_(package_|lifecycle_|config_(local_prefix|prefix|workspaces?)$)/.test(name),
    ),
  );
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), "sdk-package-"));
  const packed = join(temp, "packed");
  mkdirSync(packed);
  await sh("npm", ["pack", "--pack-destination", packed], join(root, "sdk"));
  const [name, ...others] = readdirSync(packed).filter((file) => file.endsWith(".tgz"));
  if (!name || others.length) throw new Error(`expected one tarball in ${packed}`);
  tarball = join(packed, name);

  // A CommonJS project (no "type"); esm/ is an ES module package inside it, using the same node_modules.
  consumer = join(temp, "consumer");
  write(join(consumer, "package.json"), json({ name: "sdk-consumer", version: "1.0.0", private: true }));
  write(join(consumer, "esm/package.json"), json({ type: "module" }));
  write(join(consumer, "esm/consumer.ts"), esmConsumerTs);
  // The package README's integration, exactly as a partner would paste it.
  write(join(consumer, "esm/readme-example.ts"), sdkReadmeExample());
  write(join(consumer, "require.cts"), cjsConsumerTs);
  write(join(consumer, "consumer.cjs"), runtimeConsumer("cjs"));
  write(join(consumer, "esm/consumer.mjs"), runtimeConsumer("esm"));
  write(
    join(consumer, "tsconfig.json"),
    json({
      compilerOptions: {
        target: "ES2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        lib: ["ES2022"],
        types: ["node"],
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ["esm/consumer.ts", "esm/readme-example.ts", "require.cts"],
    }),
  );
  // A Node project has @types/node (fetch, Headers; standardwebhooks' declarations use Buffer): the root's version, cached.
  const typesNode = `@types/node@${JSON.parse(readFileSync(join(root, "node_modules/@types/node/package.json"), "utf8")).version}`;
  await sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, typesNode], consumer);
}, 120_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe("the packed SDK", () => {
  it("holds the two builds, README.md and LICENSE, and nothing else", async () => {
    const entries = (await sh("tar", ["-tzf", tarball], temp)).split("\n").filter(Boolean);
    expect(entries).toEqual(
      expect.arrayContaining([
        "package/package.json",
        "package/LICENSE",
        "package/README.md",
        "package/dist/esm/index.js",
        "package/dist/esm/index.d.ts",
        "package/dist/esm/webhooks.js",
        "package/dist/esm/schema.d.ts",
        "package/dist/cjs/index.js",
        "package/dist/cjs/index.d.ts",
        "package/dist/cjs/webhooks.js",
        "package/dist/cjs/schema.d.ts",
        "package/dist/cjs/package.json",
      ]),
    );
    const stray = entries.filter(
      (entry) => !/^package\/(package\.json|README\.md|LICENSE|dist\/(esm|cjs)\/[\w.-]+)$/.test(entry),
    );
    expect(stray).toEqual([]);
    expect(entries.filter((entry) => /\/src\/|\btests?\b|\.test\./.test(entry))).toEqual([]);
  });

  it("type-checks from an ES module (the README's example too) and from CommonJS under strict and noUncheckedIndexedAccess", async () => {
    // --listFiles: each module system got its own declarations.
    const files = await sh(process.execPath, [tsc, "-p", ".", "--listFiles"], consumer);
    const sdkFiles = files
      .split("\n")
      .filter((file) => file.includes("node_modules/@coalition-gateway/sdk/"))
      .map((file) => file.slice(file.indexOf("dist/")));
    expect(sdkFiles).toEqual(
      expect.arrayContaining([
        "dist/esm/index.d.ts",
        "dist/esm/webhooks.d.ts",
        "dist/cjs/index.d.ts",
        "dist/cjs/webhooks.d.ts",
      ]),
    );
  }, 120_000);

  // webhooksAlone: requiring "@coalition-gateway/sdk/webhooks" alone loads no HTTP client (CommonJS only: an
  // ES module's graph is not inspectable from inside).
  it.each([
    { system: "CommonJS (require)", script: "consumer.cjs", webhooksAlone: true },
    { system: "an ES module (import)", script: "esm/consumer.mjs", webhooksAlone: null },
  ])("runs as $system: both entries, a client's call, a webhook verified", async ({ script, webhooksAlone }) => {
    const out = JSON.parse(await sh(process.execPath, [script], consumer));
    expect(out).toEqual({
      webhooksAlone,
      gatewayErrorIsClass: true,
      sameVerifier: true,
      call: { gatewayError: true, code: "insufficient_points", status: 422 },
      verifiedType: "member.enrolled",
      tampered: "WebhookVerificationError",
    });
  });
});

/** An ES module consumer; each @ts-expect-error fails the check if the SDK's types stop applying. */
const esmConsumerTs = `import { createClient, GatewayError, type GatewayErrorCode } from "@coalition-gateway/sdk";
import { verifyWebhook, WebhookVerificationError } from "@coalition-gateway/sdk/webhooks";

const client = createClient({ baseUrl: "https://gateway.example", clientId: "id", clientSecret: "secret" });

export async function earn(programId: string, externalId: string): Promise<number | GatewayErrorCode> {
  try {
    const txn = await client.transactions.earn({ program_id: programId, external_id: externalId, points: 120, reference: "order-1" }, { idempotencyKey: "order-1" });
    const balance: number = txn.balance_after;
    return balance;
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    switch (error.code) {
      case "insufficient_points":
      case "rate_limited":
        return error.code;
      // @ts-expect-error: not a code of the gateway
      case "no_such_code":
        return 0;
      default:
        return error.code;
    }
  }
}

// @ts-expect-error: points are a number
void client.transactions.earn({ program_id: "p", external_id: "m", points: "120", reference: "order-2" }, { idempotencyKey: "order-2" });

export function onWebhook(rawBody: string, headers: Headers, secrets: string[]): unknown {
  const secret = secrets[0];
  if (secret === undefined) return undefined;
  try {
    return verifyWebhook(rawBody, headers, secret);
  } catch (error) {
    if (error instanceof WebhookVerificationError) return undefined;
    throw error;
  }
}
`;

/** A CommonJS TypeScript consumer: \`import = require\`, compiled to require(), so the "require" types apply. */
const cjsConsumerTs = `import sdk = require("@coalition-gateway/sdk");
import webhooks = require("@coalition-gateway/sdk/webhooks");

const client = sdk.createClient({ baseUrl: "https://gateway.example", clientId: "id", clientSecret: "secret" });

export async function earn(): Promise<number> {
  const txn = await client.transactions.earn({ program_id: "p", external_id: "m", points: 120, reference: "order-1" }, { idempotencyKey: "order-1" });
  return txn.points;
}

// @ts-expect-error: points are a number
void client.transactions.earn({ program_id: "p", external_id: "m", points: "120", reference: "order-2" }, { idempotencyKey: "order-2" });

export const verify: typeof sdk.verifyWebhook = webhooks.verifyWebhook;

export function codeOf(error: unknown): sdk.GatewayErrorCode | undefined {
  return error instanceof sdk.GatewayError ? error.code : undefined;
}
`;

/**
 * The same checks through require() or import, printed as JSON: a client's call (to a fetch that issues a
 * token and answers the call with a problem), and a payload signed with standardwebhooks, verified, then
 * tampered with. The verified result is read as \`(result.event ?? result)\`, whichever shape verifyWebhook returns.
 */
function runtimeConsumer(format: "cjs" | "esm"): string {
  const load =
    format === "cjs"
      ? `const webhooks = require("@coalition-gateway/sdk/webhooks");
const webhooksAlone = !Object.keys(require.cache).some((file) => file.includes("openapi-fetch"));
const sdk = require("@coalition-gateway/sdk");
const { Webhook } = require("standardwebhooks");`
      : `import * as sdk from "@coalition-gateway/sdk";
import * as webhooks from "@coalition-gateway/sdk/webhooks";
import { Webhook } from "standardwebhooks";
const webhooksAlone = null;`;
  return `${load}

const problem = { type: "about:blank", title: "Insufficient points", status: 422, detail: "Not enough points", code: "insufficient_points", request_id: "req_1" };

async function fakeFetch(input) {
  const url = typeof input === "string" ? input : input.url;
  if (url.endsWith("/oauth/token")) {
    return new Response(JSON.stringify({ access_token: "token", token_type: "Bearer", expires_in: 3600 }), { headers: { "Content-Type": "application/json" } });
  }
  return new Response(JSON.stringify(problem), { status: 422, headers: { "Content-Type": "application/problem+json" } });
}

async function main() {
  const client = sdk.createClient({ baseUrl: "https://gateway.example", clientId: "id", clientSecret: "secret", fetch: fakeFetch });
  let call = "resolved";
  try {
    await client.transactions.earn({ program_id: "p", external_id: "m", points: 120, reference: "order-1" }, { idempotencyKey: "order-1" });
  } catch (error) {
    call = { gatewayError: error instanceof sdk.GatewayError, code: error.code, status: error.status };
  }

  const secret = "whsec_" + Buffer.from("0123456789abcdef0123456789abcdef").toString("base64");
  const payload = JSON.stringify({ type: "member.enrolled", timestamp: new Date().toISOString(), data: { id: "mem_1" } });
  const now = new Date();
  const headers = {
    "webhook-id": "msg_1",
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign("msg_1", now, payload),
  };
  const result = webhooks.verifyWebhook(payload, headers, secret);
  let tampered = "accepted";
  try {
    webhooks.verifyWebhook(payload.replace("mem_1", "mem_2"), headers, secret);
  } catch (error) {
    tampered = error instanceof webhooks.WebhookVerificationError ? "WebhookVerificationError" : String(error);
  }

  console.log(JSON.stringify({
    webhooksAlone,
    gatewayErrorIsClass: typeof sdk.GatewayError === "function" && sdk.GatewayError.prototype instanceof Error,
    sameVerifier: sdk.verifyWebhook === webhooks.verifyWebhook,
    call,
    verifiedType: (result.event ?? result).type,
    tampered,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
}
