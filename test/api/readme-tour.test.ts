import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestGateway, operatorCredential, type TestGateway } from "../support/gateway";

/** Runs the README's tour, as written, with bash, curl and jq against a real gateway. */
const root = fileURLToPath(new URL("../..", import.meta.url));

let gw: TestGateway;
let server: { url: string; stop: () => Promise<void> };
beforeAll(async () => {
  gw = await createTestGateway();
  server = await gw.listen();
});
afterAll(async () => {
  await server.stop();
  await gw.close();
});

/** The first ```sh block after the tour's heading, without its `export` lines (the test sets those). */
function tour(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## A 5-minute tour"));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error("no tour in README.md");
  return match[1]
    .split("\n")
    .filter((line) => !line.startsWith("export "))
    .join("\n");
}

it("the README's tour runs as written: a partner, its program, a member, points earned and burned", async () => {
  const { stdout } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", tour()], {
    cwd: mkdtempSync(join(tmpdir(), "readme-tour-")),
    env: {
      PATH: process.env.PATH,
      GW: server.url,
      OPERATOR_CLIENT_ID: operatorCredential.clientId,
      OPERATOR_CLIENT_SECRET: operatorCredential.secret,
    },
  });
  // jq prints one JSON object after another, each opening at the start of a line: read them back in order.
  const documents = stdout
    .trim()
    .split(/\n(?=\{)/)
    .map((text) => JSON.parse(text));
  const [partner, program, member, earned, burned, balance, refused, forbidden] = documents;
  expect(partner).toMatchObject({ name: "SkyWays Airlines", credentials: { client_secret: expect.any(String) } });
  expect(program).toMatchObject({ name: "SkyWays Miles" });
  expect(member).toMatchObject({ external_id: "SW-1001" });
  expect(earned).toMatchObject({ type: "earn", points: 2500, balance_after: 2500 });
  expect(burned).toMatchObject({ type: "burn", points: 1000, balance_after: 1500 });
  expect(balance).toMatchObject({ available: 1500 });
  expect(refused).toMatchObject({ status: 409, code: "insufficient_points" });
  expect(forbidden).toMatchObject({ status: 403, code: "forbidden" });
});
