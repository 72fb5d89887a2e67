import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookTransport } from "../../gateway/src/webhooks/transport";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

// What the directory copy must not undo and must carry at once, over HTTP against a gateway over main and an eu
// shard (docs/scale-out.md, section 1).

let receiverStatus = 200;
const received: string[] = [];
const transport: WebhookTransport = async (request) => {
  received.push(request.url);
  return { status: receiverStatus, excerpt: "" };
};

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway({}, { shards: ["eu"], webhookTransport: transport });
});
afterAll(() => gw.close());

/** One row of a database file, read apart from the gateway. */
async function rowIn(file: string, sql: string, args: string[]) {
  const client = createClient({ url: `file:${join(gw.dir, file)}` });
  try {
    return (await client.execute({ sql, args })).rows[0];
  } finally {
    client.close();
  }
}

const endpointIn = (file: string, id: string) =>
  rowIn(file, "select status, disabled_reason, failing_since from webhook_endpoints where id = ?", [id]);

describe("a webhook endpoint over two databases", () => {
  it("stays disabled when the shard's runner disables it, and is enabled on the shard when its partner enables it", async () => {
    const { owner, enrol, move } = await setupProgram(gw, { database: "eu" });
    const member = await enrol();
    const created = await gw.call("POST", "/v1/webhook-endpoints", {
      token: owner.token,
      body: { url: "https://hooks.example.com/loyalty", event_types: ["points.earned"] },
    });
    expect(created.status, created.text).toBe(201);
    const endpoint = created.body.id as string;
    const path = `/v1/webhook-endpoints/${endpoint}`;
    const eu = gw.all.get("eu");
    const earnAndDeliver = async () => {
      expect((await move("earn", member, 10)).status).toBe(201);
      await eu?.webhooks.deliver();
    };

    // The receiver is gone: eu's runner disables the endpoint there (later than the endpoint's last change; the test
    // clock stands still otherwise, and in a tie the directory's row wins).
    gw.clock.advance(1_000);
    receiverStatus = 410;
    await earnAndDeliver();
    expect(received).toHaveLength(1);
    expect(await endpointIn("eu.db", endpoint)).toMatchObject({ status: "disabled", disabled_reason: "gone" });

    // Any directory write copies the directory: the disabling reaches main, and the copy leaves eu's row disabled.
    gw.clock.advance(1_000);
    await gw.onboardPartner();
    expect((await gw.call("GET", path, { token: owner.token })).body).toMatchObject({
      status: "disabled",
      disabled_reason: "gone",
    });
    expect(await endpointIn("gateway.db", endpoint)).toMatchObject({ status: "disabled", disabled_reason: "gone" });
    expect(await endpointIn("eu.db", endpoint)).toMatchObject({ status: "disabled" });
    await earnAndDeliver();
    expect(received).toHaveLength(1);

    // Its partner enables it again: eu's row is enabled with its failing streak over, and eu sends to it again.
    gw.clock.advance(1_000);
    receiverStatus = 200;
    const enabled = await gw.call("PATCH", path, { token: owner.token, body: { status: "enabled" } });
    expect(enabled.body).toMatchObject({ status: "enabled", disabled_reason: null });
    expect(await endpointIn("eu.db", endpoint)).toMatchObject({
      status: "enabled",
      disabled_reason: null,
      failing_since: null,
    });
    await earnAndDeliver();
    expect(received).toHaveLength(2);

    // Disabled on eu again, then edited on main before any copy: the edit does not count as newer than the disabling.
    gw.clock.advance(1_000);
    receiverStatus = 410;
    await earnAndDeliver();
    gw.clock.advance(1_000);
    const edited = await gw.call("PATCH", path, { token: owner.token, body: { description: "orders" } });
    expect(edited.body).toMatchObject({ description: "orders", status: "disabled", disabled_reason: "gone" });
    expect(await endpointIn("eu.db", endpoint)).toMatchObject({ status: "disabled" });
  });
});

describe("a webhook endpoint's delivery log over two databases", () => {
  it("lists the attempts of every database's runner, newest first", async () => {
    receiverStatus = 200;
    const away = await setupProgram(gw, { database: "eu" });
    const home = await setupProgram(gw);
    // The eu program's owner earns in a program of its own on main too, through an agreement made there.
    const agreement = await gw.call("POST", `/v1/programs/${home.programId}/agreements`, {
      token: await gw.operatorToken(),
      body: {
        partner_id: away.owner.partner.id,
        can_earn: true,
        can_burn: false,
        issue_price_micros: 11_000,
        redeem_price_micros: 9_000,
      },
    });
    expect(agreement.status, agreement.text).toBe(201);
    const created = await gw.call("POST", "/v1/webhook-endpoints", {
      token: away.owner.token,
      body: { url: "https://hooks.example.com/log", event_types: ["points.earned"] },
    });
    for (const program of [away, home, away]) {
      const member = await program.enrol(undefined, away.owner.token);
      const earn = await program.move("earn", member, 5, { token: away.owner.token });
      expect(earn.status, earn.text).toBe(201);
      gw.clock.advance(1_000);
    }
    await Promise.all([...gw.all.values()].map((deps) => deps.webhooks.deliver()));
    const log = await gw.call("GET", `/v1/webhook-endpoints/${created.body.id}/deliveries?limit=2`, {
      token: away.owner.token,
    });
    expect(log.status, log.text).toBe(200);
    expect(log.body.has_more).toBe(true);
    const rest = await gw.call(
      "GET",
      `/v1/webhook-endpoints/${created.body.id}/deliveries?starting_after=${log.body.data[1].id}`,
      { token: away.owner.token },
    );
    const attempts = [...log.body.data, ...rest.body.data];
    expect(attempts).toHaveLength(3);
    expect(rest.body.has_more).toBe(false);
    expect(attempts.map((attempt: { id: string }) => attempt.id)).toEqual(
      attempts
        .map((attempt: { id: string }) => attempt.id)
        .sort()
        .reverse(),
    );
    expect(attempts.every((attempt: { outcome: string }) => attempt.outcome === "succeeded")).toBe(true);
    expect(new Set(attempts.map((attempt: { event_id: string }) => attempt.event_id)).size).toBe(3);
  });
});

describe("a credential over two databases", () => {
  it("is refused on the shard as soon as its revocation or its partner's suspension is answered", async () => {
    const operator = await gw.operatorToken();
    const { owner, programId, enrol } = await setupProgram(gw, { database: "eu" });
    const member = await enrol();
    const read = (token: string) =>
      gw.call("GET", `/v1/programs/${programId}/members/${member}`, { token }).then((answer) => answer.status);
    expect(await read(owner.token)).toBe(200);
    const revoked = await gw.call("DELETE", `/v1/partners/${owner.partner.id}/credentials/${owner.clientId}`, {
      token: operator,
    });
    expect(revoked.status, revoked.text).toBe(200);
    expect(await read(owner.token)).toBe(401);

    const spare = await gw.call("POST", `/v1/partners/${owner.partner.id}/credentials`, { token: operator });
    const token = await gw.token(spare.body.client_id, spare.body.client_secret);
    expect(await read(token)).toBe(200);
    const suspended = await gw.call("POST", `/v1/partners/${owner.partner.id}/suspend`, { token: operator });
    expect(suspended.status, suspended.text).toBe(200);
    expect(await read(token)).toBe(403);
  });
});
