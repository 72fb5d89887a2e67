import { describe, expect, it } from "vitest";
import { accessToken, run, startGateway, tempDatabaseUrl } from "../support/node-process";

/** `npm run operator:rotate` on a database; answers its output once it has exited 0. */
async function rotate(env: Record<string, string>) {
  const script = run("scripts/operator-rotate.ts", env);
  expect(await script.exited).toBe(0);
  return script.output();
}

/** The status of an operator route for a token. */
const partnersStatus = async (url: string, token: string | number) =>
  (await fetch(`${url}/v1/partners`, { headers: { Authorization: `Bearer ${token}` } })).status;

const configured = {
  OPERATOR_CLIENT_ID: "op_configured_operator",
  OPERATOR_CLIENT_SECRET: "configured-operator-secret-0123456789",
};

describe("operator credential recovery", { timeout: 90_000 }, () => {
  it("`npm run operator:rotate` replaces every operator credential with one, at once, also for a running gateway; a configured credential is warned about and kept by the script", async () => {
    const DATABASE_URL = tempDatabaseUrl();
    const first = startGateway({ DATABASE_URL });
    const url = await first.listening();
    const lost = /OPERATOR_CLIENT_ID=(\S+)/.exec(first.output())?.[1] ?? "";
    const lostSecret = /OPERATOR_CLIENT_SECRET=(\S+)/.exec(first.output())?.[1] ?? "";
    const lostToken = await accessToken(url, lost, lostSecret);
    expect(await partnersStatus(url, lostToken)).toBe(200);

    // Rotation while the gateway runs: a new credential, printed once; the old one and its tokens are refused.
    const rotated = await rotate({ DATABASE_URL });
    const clientId = /OPERATOR_CLIENT_ID=(\S+)/.exec(rotated)?.[1] ?? "";
    const secret = /OPERATOR_CLIENT_SECRET=(\S+)/.exec(rotated)?.[1] ?? "";
    expect(clientId).toMatch(/^op_/);
    expect(clientId).not.toBe(lost);
    expect(rotated).toContain(`Revoked every other operator credential: ${lost}.`);
    expect(await partnersStatus(url, lostToken)).toBe(401);
    expect(await accessToken(url, lost, lostSecret)).toBe(401);
    expect(await partnersStatus(url, await accessToken(url, clientId, secret))).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // A configured credential is added to the database's; the start names both and warns about the other.
    const second = startGateway({ DATABASE_URL, ...configured });
    await second.listening();
    const names = [clientId, configured.OPERATOR_CLIENT_ID]; // oldest first
    expect(second.output()).toContain(`"message":"operator credentials","client_ids":${JSON.stringify(names)}`);
    expect(second.output()).toMatch(
      new RegExp(
        `"level":"warn","message":"operator credentials other than OPERATOR_CLIENT_ID can sign in","configured":"${configured.OPERATOR_CLIENT_ID}","others":\\["${clientId}"\\]`,
      ),
    );
    expect(second.output()).not.toContain(configured.OPERATOR_CLIENT_SECRET);
    expect(second.output()).not.toContain(secret);

    // With the same settings, the script keeps the configured credential, prints no secret, revokes the rest.
    const kept = await rotate({ DATABASE_URL, ...configured });
    expect(kept).toContain(`OPERATOR_CLIENT_ID=${configured.OPERATOR_CLIENT_ID} is now the only operator credential`);
    expect(kept).toContain(`Revoked every other operator credential: ${clientId}.`);
    expect(kept).not.toContain("OPERATOR_CLIENT_SECRET=");
    const secondUrl = /"url":"(http:\/\/localhost:\d+)"/.exec(second.output())?.[1] ?? "";
    expect(await accessToken(secondUrl, clientId, secret)).toBe(401);
    const token = await accessToken(secondUrl, configured.OPERATOR_CLIENT_ID, configured.OPERATOR_CLIENT_SECRET);
    expect(await partnersStatus(secondUrl, token)).toBe(200);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
  it("with DATABASE_SHARDS, refuses the revoked credential on a shard at once, also for a running gateway", async () => {
    const env = { DATABASE_URL: tempDatabaseUrl(), DATABASE_SHARDS: `eu=${tempDatabaseUrl()}` };
    const gateway = startGateway(env);
    const url = await gateway.listening();
    const lost = /OPERATOR_CLIENT_ID=(\S+)/.exec(gateway.output())?.[1] ?? "";
    const lostToken = await accessToken(url, lost, /OPERATOR_CLIENT_SECRET=(\S+)/.exec(gateway.output())?.[1] ?? "");
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${lostToken}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }).then((response) => response.json() as Promise<{ id: string }>);
    const partner = await post("/v1/partners", { name: "Shard Air", contact_email: "dev@shard.example" });
    const program = await post("/v1/programs", {
      partner_id: partner.id,
      name: "EuroPoints",
      point_name: "point",
      settlement_currency: "EUR",
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
      database: "eu",
    });
    // A program's segments are served by its database's gateway, which checks the credential in its own copy.
    const onEu = (token: string | number) =>
      fetch(`${url}/v1/programs/${program.id}/segments`, { headers: { Authorization: `Bearer ${token}` } }).then(
        (response) => response.status,
      );
    expect(await onEu(lostToken)).toBe(200);

    const rotated = await rotate(env);
    expect(rotated).toContain("Copied to the shards (eu)");
    expect(await onEu(lostToken)).toBe(401);
    const clientId = /OPERATOR_CLIENT_ID=(\S+)/.exec(rotated)?.[1] ?? "";
    const secret = /OPERATOR_CLIENT_SECRET=(\S+)/.exec(rotated)?.[1] ?? "";
    expect(await onEu(await accessToken(url, clientId, secret))).toBe(200);
    gateway.child.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);
  });
});
