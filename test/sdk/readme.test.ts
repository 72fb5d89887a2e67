import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createClient } from "../../sdk/src";
import { createTestGateway, operatorCredential, type TestGateway } from "../support/gateway";
import { startReceiver } from "../support/receiver";
import { onboardWithSdk } from "../support/sdk";
import { sdkReadmeExample } from "../support/sdk-readme";

/** Runs the integration of sdk/README.md, as written, against a real gateway. */
const root = fileURLToPath(new URL("../..", import.meta.url));

let gw: TestGateway;
let server: { url: string; stop: () => Promise<void> };
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  gw = await createTestGateway({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
  server = await gw.listen();
  receiver = await startReceiver();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await server.stop();
  await receiver.close();
  await gw.close();
});

it("the package README links only to absolute URLs (relative links break on the registry's page)", () => {
  const readme = readFileSync(join(root, "sdk/README.md"), "utf8");
  const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1]);
  expect(links.filter((link) => !/^(https?:|#)/.test(link ?? ""))).toEqual([]);
});

it("the README's 30-line integration runs as written, twice", async () => {
  const example = sdkReadmeExample();
  const code = example.split("\n").filter((line) => line.trim() && !line.trim().startsWith("//"));
  expect(code.length).toBeLessThanOrEqual(30);
  const operator = createClient({
    baseUrl: server.url,
    clientId: operatorCredential.clientId,
    clientSecret: operatorCredential.secret,
  });
  const hotel = await onboardWithSdk(operator, server.url, "Harbor Hotels");
  const airline = await onboardWithSdk(operator, server.url, "SkyWays");
  await operator.post("/v1/conversion-rates", {
    body: {
      from_program_id: hotel.program.id,
      to_program_id: airline.program.id,
      from_points: 1_000,
      to_points: 600,
      min_points: 1_000,
      increment: 1_000,
      fee_bps: 0,
    },
  });
  await airline.enrol("F-77");
  const hotelClient = hotel.client;
  const endpoint = await hotelClient.post("/v1/webhook-endpoints", {
    body: { url: receiver.url, event_types: ["points.earned"] },
  });

  vi.stubEnv("GATEWAY_URL", server.url);
  vi.stubEnv("GATEWAY_CLIENT_ID", hotel.partner.credentials.client_id);
  vi.stubEnv("GATEWAY_CLIENT_SECRET", hotel.partner.credentials.client_secret ?? "");
  vi.stubEnv("HOTEL_PROGRAM_ID", hotel.program.id);
  vi.stubEnv("AIRLINE_PROGRAM_ID", airline.program.id);
  vi.stubEnv("AIRLINE_MEMBER", "F-77");
  vi.stubEnv("GATEWAY_WEBHOOK_SECRET", endpoint.secret ?? "");

  const outputDir = join(root, "test-output");
  mkdirSync(outputDir, { recursive: true });
  const file = join(outputDir, "sdk-readme-example.ts");
  writeFileSync(
    file,
    example.replace(`from "@coalition-gateway/sdk"`, `from ${JSON.stringify(join(root, "sdk/src/index.ts"))}`),
  );
  const printed: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => void printed.push(String(line)));
  try {
    const module = (await import(/* @vite-ignore */ file)) as {
      onWebhook: (raw: string, headers: Headers) => { type: string };
    };
    expect(printed).toEqual([
      "balance 5000 -> 4000",
      "conversion completed: 600 miles",
      "refused: insufficient_points",
    ]);
    const [webhook] = await receiver.waitFor(1);
    if (!webhook) throw new Error("no webhook");
    const event = module.onWebhook(webhook.rawBody, new Headers(webhook.headers as Record<string, string>));
    expect(event.type).toBe("points.earned");
    expect(printed.at(-1)).toBe(`earned 5000 (folio-88231) ${webhook.headers["webhook-id"]}`);
    // A second run finds the member enrolled, and the earn and burn keyed by their business ids replayed: the
    // balance stays 3,000 (5,000 - 1,000 - 1,000 converted) before this run's new quote converts 1,000 more.
    printed.length = 0;
    await import(/* @vite-ignore */ `${file}?run=2`);
    expect(printed).toEqual([
      "balance 5000 -> 4000 (replayed)",
      "conversion completed: 600 miles",
      "refused: insufficient_points",
    ]);
  } finally {
    log.mockRestore();
  }
});
