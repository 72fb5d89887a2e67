import { beforeAll, expect, it } from "vitest";
import { operatorScope, partnerScopes } from "../../gateway/src/auth/scopes";
import { addWebhookEndpoint, newKey, onboardPartner, setupConversion } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Answer, Target } from "./target";

/** What the probes read of /openapi.json. */
type Schema = {
  $ref?: string;
  example?: unknown;
  type?: string | string[];
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  minimum?: number;
  anyOf?: Schema[];
};
type Operation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { schema?: Schema; example?: unknown }> };
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
type Probed = { method: string; path: string; name: string; operation: Operation; scopes: string[][] };

/**
 * The security of every operation /openapi.json lists, probed from the document alone, so a new route is
 * covered the day it is added: without a token it answers 401; to a token without any scope its `security`
 * names, 403; a token with exactly one of them gets past the scope check; and where a partner may call it, a
 * partner's ids answer another partner 404 (and their owner not 404, so the ids and the body were real).
 */
export function securityScenarios(target: Target) {
  const gw = connect(target);
  let document: Document;
  let operations: Probed[];
  beforeAll(async () => {
    document = (await gw.call("GET", "/openapi.json")).body as Document;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        name: `${method.toUpperCase()} ${path}`,
        operation,
        scopes: (operation.security ?? []).map((requirement) => Object.values(requirement).flat()),
      })),
    );
  });
  const secured = () => operations.filter((o) => o.scopes.length > 0);

  /** The operation's request with `ids` in its path, its body built from the document, and an Idempotency-Key. */
  const request = (o: Probed, ids: (segment: string, param: string) => string) => ({
    path: o.path.replace(
      /([^/]+)\/\{(\w+)\}/g,
      (_, segment: string, param: string) => `${segment}/${ids(segment, param)}`,
    ),
    body: exampleBody(document, o.operation),
    headers: { "Idempotency-Key": newKey() },
  });
  const placeholders = (_: string, param: string) => `nope_${param}`;
  const send = (o: Probed, token: string | undefined, ids = placeholders) => {
    const { path, ...rest } = request(o, ids);
    return gw.call(o.method, path, { ...rest, token });
  };
  const documents = (o: Probed, status: number) =>
    expect.soft(Object.keys(o.operation.responses), `${o.name} documents ${status}`).toContain(String(status));

  it("finds the operations and every scope they name among the scopes a token can have", () => {
    expect(secured().length).toBeGreaterThan(40);
    const known: string[] = [operatorScope, ...partnerScopes];
    for (const o of secured()) {
      expect.soft(o.operation.security?.flatMap(Object.keys), o.name).toEqual(o.scopes.map(() => "bearerAuth"));
      for (const scopes of o.scopes) {
        expect.soft(scopes.length, `${o.name} names a scope in each requirement`).toBeGreaterThan(0);
        for (const scope of scopes) expect.soft(known, o.name).toContain(scope);
      }
    }
  });

  it("answers 401 with WWW-Authenticate to every secured operation called without a token", async () => {
    for (const o of secured()) {
      const answer = await send(o, undefined);
      expect.soft(answer.status, o.name).toBe(401);
      expect.soft(answer.headers.get("WWW-Authenticate"), o.name).toMatch(/^Bearer/);
      documents(o, 401);
    }
  });

  it("answers 403 to a token without the operation's scopes, and lets a token with one of them past", async () => {
    const partner = await onboardPartner(gw);
    for (const o of secured()) {
      const accepted = new Set(o.scopes.flat());
      // A partner token with every other scope, and the operator's token when "operator" is not accepted.
      const denied = partnerScopes.filter((scope) => !accepted.has(scope));
      const refused: string[] = [];
      if (denied.length > 0) refused.push(await gw.token(partner, denied.join(" ")));
      if (!accepted.has(operatorScope)) refused.push(await gw.token(gw.operator));
      for (const token of refused) {
        const answer = await send(o, token);
        expect.soft(answer.status, `${o.name}: ${answer.text}`).toBe(403);
        for (const scope of accepted) expect.soft(answer.text, o.name).toContain(scope);
      }
      if (refused.length > 0) documents(o, 403);
      for (const scopes of o.scopes) {
        const token = scopes.includes(operatorScope)
          ? await gw.token(gw.operator)
          : await gw.token(partner, scopes.join(" "));
        const answer = await send(o, token);
        expect.soft(answer.status, `${o.name} with ${scopes.join(" ")}: ${answer.text}`).not.toBe(401);
        expect.soft(answer.text, `${o.name} with ${scopes.join(" ")}`).not.toMatch(/needs the scope/);
      }
    }
  });

  it("answers 404 to another partner's ids on every operation a partner may call, and not 404 to their owner", async () => {
    const world = await partnerWorld(gw);
    const other = await onboardPartner(gw);
    const partnerOperations = secured().filter(
      (o) => o.path.includes("{") && o.scopes.some((scopes) => scopes.every((scope) => scope !== operatorScope)),
    );
    expect(partnerOperations.length).toBeGreaterThan(10);
    // An operation may name its own resource ("POST /v1/redemptions/{id}/cancel"): each step of an order's life
    // needs an order in the status it starts from.
    const ids = (o: Probed) => (segment: string, param: string) => {
      const id = world.ids[o.name] ?? world.ids[`${segment}/{${param}}`];
      if (!id) throw new Error(`no resource of the partner's world for ${segment}/{${param}}: add one to partnerWorld`);
      return id;
    };
    const answers: [Probed, ReturnType<typeof request>][] = partnerOperations.map((o) => [o, request(o, ids(o))]);
    for (const [o, { path, ...rest }] of answers) {
      const answer = await gw.call(o.method, path, { ...rest, as: other });
      expect.soft(answer.status, `${o.name} as another partner: ${answer.text}`).toBe(404);
      for (const secret of [world.partnerId, world.memberId])
        expect.soft(answer.text, `${o.name} tells nothing of the owner`).not.toContain(secret);
      documents(o, 404);
    }
    // The same requests by their owner: reads first, DELETE last (the deepest path first, so a segment's member
    // goes before the segment), and the member's erase after all (it unlinks its cards and takes no more writes), so
    // no control removes what another needs.
    const order = (o: Probed) =>
      o.path.endsWith("/erase") ? 4 : o.method === "GET" ? 0 : o.method === "DELETE" ? 3 - o.path.length / 1000 : 1;
    for (const [o, { path, ...rest }] of answers.sort(([a], [b]) => order(a) - order(b))) {
      const answer: Answer = await gw.call(o.method, path, { ...rest, as: world.owner });
      expect.soft(answer.status, `${o.name} as the owner: ${answer.text}`).toBeLessThan(400);
    }
  });
}

/**
 * One partner with one of every resource a partner's path can name: a program it owns with a member, an
 * earn and a conversion out of it, a webhook endpoint and its events, a settlement statement, a card, a
 * static segment holding the member, a campaign and an active promotion of it, a transfer from the member, orders
 * of a reward, a saved ad-hoc report, and the member a simulation's example names. `ids` maps a path's "segment/{param}" to the
 * resource's id, or an operation ("POST /v1/redemptions/{id}/cancel") to its own.
 */
async function partnerWorld(gw: Gateway) {
  const start = gw.clock.now().toISOString();
  const { hotel, guest, fund, quoted, execute } = await setupConversion(gw);
  const owner = hotel.owner;
  await fund(5_000);
  const conversion = expectBody(await execute((await quoted(1_000)).id), op.executeConversion, 201);
  const receiver = await gw.receiver();
  const endpoint = await addWebhookEndpoint(gw, owner, receiver.url, ["points.earned"]);
  // After the endpoint, so its event has somewhere to be resent.
  const earned = await hotel.earn(guest.externalId, 10);
  const events = expectBody(await gw.call("GET", "/v1/events?type=points.earned", { as: owner }), op.listEvents, 200);
  gw.clock.advance(60_000);
  const period = expectBody(
    await gw.call("POST", "/v1/settlement-periods", {
      as: gw.operator,
      body: { start, end: gw.clock.now().toISOString() },
    }),
    op.closeSettlementPeriod,
    201,
  );
  const statement = period.statements.find((s) => s.partner_id === owner.id);
  const card = expectBody(
    await gw.call("POST", `/v1/programs/${hotel.programId}/members/${guest.externalId}/cards`, {
      as: owner,
      body: { number: "4000 1234-5678 9010" },
    }),
    op.linkMemberCard,
    201,
  );
  const list = expectBody(
    await gw.call("POST", `/v1/programs/${hotel.programId}/segments`, {
      as: owner,
      body: { name: "Marketing list", type: "static" },
    }),
    op.createSegment,
    201,
  );
  await gw.call("POST", `/v1/segments/${list.id}/members`, { as: owner, body: { external_ids: [guest.externalId] } });
  const campaign = expectBody(
    await gw.call("POST", `/v1/programs/${hotel.programId}/campaigns`, {
      as: owner,
      body: { name: "Summer", status: "planned" },
    }),
    op.createCampaign,
    201,
  );
  const promotion = expectBody(
    await gw.call("POST", `/v1/programs/${hotel.programId}/promotions`, {
      as: owner,
      body: {
        name: "Double points",
        status: "active",
        starts_at: start,
        trigger: "earn",
        campaign_id: campaign.id,
        reward: { multiplier_bps: 20_000 },
      },
    }),
    op.createPromotion,
    201,
  );
  // The member the example of POST /v1/programs/{program_id}/promotions/simulate names.
  const friend = await hotel.enrol("SK-4471-0093");
  await gw.call("PUT", `/v1/programs/${hotel.programId}/transfer-rules`, { as: owner, body: { enabled: true } });
  const transfer = expectBody(
    await gw.call("POST", "/v1/transfers", {
      as: owner,
      headers: { "Idempotency-Key": newKey() },
      body: {
        program_id: hotel.programId,
        from_external_id: guest.externalId,
        to_external_id: friend.externalId,
        points: 100,
        reference: "gift",
      },
    }),
    op.createTransfer,
    201,
  );
  // Orders of a product, one for each step of an order's life (the first is read and fulfilled).
  const product = expectBody(
    await gw.call("POST", `/v1/programs/${hotel.programId}/rewards`, {
      as: owner,
      body: { sku: "PROBE-1", name: "Probe", type: "product", points_price: 10, fulfilment: "partner", active: true },
    }),
    op.createReward,
    201,
  );
  const order = async () =>
    expectBody(
      await gw.call("POST", "/v1/redemptions", {
        as: owner,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: hotel.programId, external_id: guest.externalId, reward_id: product.id, quantity: 1 },
      }),
      op.createRedemption,
      201,
    );
  const [pending, cancellable, delivered] = [await order(), await order(), await order()];
  await gw.call("POST", `/v1/redemptions/${delivered.id}/fulfil`, { as: owner });
  // A code reward, so that its code upload (POST /v1/rewards/{id}/codes) is allowed to the owner.
  const reward = expectBody(
    await gw.call("POST", `/v1/programs/${hotel.programId}/rewards`, {
      as: owner,
      body: {
        sku: "PROBE-CODES",
        name: "Upgrade voucher",
        type: "voucher",
        points_price: 500,
        fulfilment: "code",
        active: true,
      },
    }),
    op.createReward,
    201,
  );
  const report = expectBody(
    await gw.call("POST", `/v1/programs/${hotel.programId}/report-definitions`, {
      as: owner,
      body: { name: "Probe", dataset: "transactions", dimensions: ["type"], measures: ["count"] },
    }),
    op.createReportDefinition,
    201,
  );
  const ids: Record<string, string | undefined> = {
    "programs/{id}": hotel.programId,
    "segments/{id}": list.id,
    "programs/{program_id}": hotel.programId,
    "members/{external_id}": guest.externalId,
    "transactions/{id}": earned.id,
    "conversions/{id}": conversion.id,
    "webhook-endpoints/{id}": endpoint.id,
    "events/{id}": events.data[0]?.id,
    "settlements/{id}": statement?.id,
    "cards/{number}": card.number,
    "campaigns/{id}": campaign.id,
    "promotions/{id}": promotion.id,
    "rewards/{id}": reward.id,
    "transfers/{id}": transfer.id,
    "redemptions/{id}": pending.id,
    "report-definitions/{id}": report.id,
    "POST /v1/redemptions/{id}/cancel": cancellable.id,
    "POST /v1/redemptions/{id}/return": delivered.id,
  };
  return { owner, partnerId: owner.id, memberId: guest.id, ids };
}

/**
 * A request body for an operation from its document: the body's example, else the smallest object its
 * schema allows, built from the examples of its required properties.
 */
function exampleBody(document: Document, operation: Operation): unknown {
  const content = operation.requestBody?.content["application/json"];
  if (!content) return undefined;
  return content.example ?? exampleOf(document, content.schema ?? {});
}

function exampleOf(document: Document, schema: Schema): unknown {
  const resolved = schema.$ref ? (document.components.schemas[schema.$ref.split("/").pop() ?? ""] ?? {}) : schema;
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.enum) return resolved.enum[0];
  if (resolved.anyOf?.[0]) return exampleOf(document, resolved.anyOf[0]);
  const type = Array.isArray(resolved.type) ? resolved.type[0] : resolved.type;
  if (type === "object" || resolved.properties)
    return Object.fromEntries(
      (resolved.required ?? []).map((name) => [name, exampleOf(document, resolved.properties?.[name] ?? {})]),
    );
  if (type === "array") return resolved.items ? [exampleOf(document, resolved.items)] : [];
  if (type === "integer" || type === "number") return resolved.minimum ?? 1;
  if (type === "boolean") return true;
  return "x";
}
