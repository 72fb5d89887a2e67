import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Credential } from "./target";

// Factories of the scenarios: every one makes new rows with unique names through the API, on any runtime.

/** A fresh Idempotency-Key, unique across tests and files. */
export const newKey = () => `key-${crypto.randomUUID()}`;

/** A fresh value for names, external ids and references. */
export const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 13)}`;

/** An onboarded partner: its id and name, and its first credential (with every partner scope). */
export type Partner = Credential & { id: string; name: string };

/** Onboards a partner through the API, as the operator. */
export async function onboardPartner(gw: Gateway, overrides: Record<string, unknown> = {}): Promise<Partner> {
  const answer = await gw.call("POST", "/v1/partners", {
    as: gw.operator,
    body: { name: unique("Partner"), contact_email: "dev@partner.example", ...overrides },
  });
  const created = expectBody(answer, op.createPartner, 201);
  const { client_id: clientId, client_secret: secret } = created.credentials;
  if (!secret) throw new Error("a new partner's credential shows its secret");
  return { id: created.id, name: created.name, clientId, secret };
}

/** An agreement letting `partnerId` earn and burn in `programId` (at prices of 1 micro unless given). */
export async function addAgreement(
  gw: Gateway,
  programId: string,
  partnerId: string,
  overrides: Record<string, unknown> = {},
) {
  const answer = await gw.call("POST", `/v1/programs/${programId}/agreements`, {
    as: gw.operator,
    body: {
      partner_id: partnerId,
      can_earn: true,
      can_burn: true,
      issue_price_micros: 1,
      redeem_price_micros: 1,
      ...overrides,
    },
  });
  return expectBody(answer, op.createAgreement, 201);
}

/** How many rows each table holds: equal before and after a refused request, nothing was written. */
export async function rowCounts(gw: Gateway, tables: readonly string[]) {
  const count = async (table: string) => (await gw.rows<{ n: number }>(`select count(*) as n from ${table}`))[0]?.n;
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(table)])));
}

/** A webhook endpoint of `owner` at `url`, subscribed to `types`; answered with its secret. */
export async function addWebhookEndpoint(gw: Gateway, owner: Credential, url: string, types: string[]) {
  const answer = await gw.call("POST", "/v1/webhook-endpoints", {
    as: owner,
    body: { url, event_types: types, description: "test receiver" },
  });
  const endpoint = expectBody(answer, op.createWebhookEndpoint, 201);
  // A first response always shows the secret (only an idempotent replay shows null).
  if (endpoint.secret === null) throw new Error("a new endpoint came without its secret");
  return { ...endpoint, secret: endpoint.secret };
}

type MoveOptions = { as?: Credential; key?: string; reference?: string };

/** A program owned by a new partner, with helpers to enrol members and move points (as the owner unless told). */
export async function setupProgram(gw: Gateway, overrides: Record<string, unknown> = {}) {
  const owner = await onboardPartner(gw);
  const created = await gw.call("POST", "/v1/programs", {
    as: gw.operator,
    body: {
      partner_id: owner.id,
      name: unique("Program"),
      point_name: "mile",
      settlement_currency: "USD",
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
      ...overrides,
    },
  });
  const program = expectBody(created, op.createProgram, 201);
  const programId = program.id;

  /** Enrols a member (a unique external id unless given) and answers it. */
  const enrol = async (externalId = unique("M"), as: Credential = owner) => {
    const answer = await gw.call("POST", `/v1/programs/${programId}/members`, {
      as,
      body: { external_id: externalId },
    });
    const member = expectBody(answer, op.enrolMember, 201);
    return { externalId, id: member.id, member };
  };
  /** Earns or burns; answers whatever the gateway answered. */
  const move = (kind: "earn" | "burn", externalId: string, points: number, options: MoveOptions = {}) =>
    gw.call("POST", `/v1/transactions/${kind}`, {
      as: options.as ?? owner,
      headers: { "Idempotency-Key": options.key ?? newKey() },
      body: { program_id: programId, external_id: externalId, points, reference: options.reference ?? unique(kind) },
    });
  /** Earns, expecting the transaction. */
  const earn = async (externalId: string, points: number, options: MoveOptions = {}) =>
    expectBody(await move("earn", externalId, points, options), op.earnPoints, 201);
  /** Burns, expecting the transaction. */
  const burn = async (externalId: string, points: number, options: MoveOptions = {}) =>
    expectBody(await move("burn", externalId, points, options), op.burnPoints, 201);
  /** Reverses a transaction (all that is left of it unless `points` says). */
  const reverse = (transactionId: string, body?: { points?: number; reason?: string }, as: Credential = owner) =>
    gw.call("POST", `/v1/transactions/${transactionId}/reversals`, {
      as,
      headers: { "Idempotency-Key": newKey() },
      body,
    });
  const member = (externalId: string, as: Credential = owner) =>
    gw.call("GET", `/v1/programs/${programId}/members/${externalId}`, { as });
  const balance = async (externalId: string) => expectBody(await member(externalId), op.getMember, 200).balance;
  return { owner, program, programId, enrol, move, earn, burn, reverse, member, balance };
}

/**
 * A hotel program and an airline program owned by two partners, a member in each, and a rate from hotel
 * points to airline miles published by the operator. The hotel (the source's owner) converts for its member.
 */
export async function setupConversion(
  gw: Gateway,
  rate: Record<string, unknown> = {},
  hotelProgram: Record<string, unknown> = {},
) {
  const hotel = await setupProgram(gw, { name: unique("Harbor Rewards"), point_name: "point", ...hotelProgram });
  const airline = await setupProgram(gw, { name: unique("SkyWays Miles"), issue_price_micros: 15_000 });
  const guest = await hotel.enrol();
  const flyer = await airline.enrol();
  const published = await gw.call("POST", "/v1/conversion-rates", {
    as: gw.operator,
    body: {
      from_program_id: hotel.programId,
      to_program_id: airline.programId,
      from_points: 1_000,
      to_points: 600,
      min_points: 1_000,
      increment: 1_000,
      fee_bps: 0,
      ...rate,
    },
  });
  const pair = { from_program_id: hotel.programId, to_program_id: airline.programId };
  /** Quotes a conversion of the guest's points to the flyer; answers whatever the gateway answered. */
  const quote = (fromPoints: number, overrides: Record<string, unknown> = {}) =>
    gw.call("POST", "/v1/conversions/quotes", {
      as: hotel.owner,
      body: {
        ...pair,
        from_external_id: guest.externalId,
        to_external_id: flyer.externalId,
        from_points: fromPoints,
        ...overrides,
      },
    });
  /** Quotes, expecting the quote. */
  const quoted = async (fromPoints: number) => expectBody(await quote(fromPoints), op.quoteConversion, 201);
  const execute = (quoteId: string, key = newKey()) =>
    gw.call("POST", "/v1/conversions", {
      as: hotel.owner,
      headers: { "Idempotency-Key": key },
      body: { quote_id: quoteId },
    });
  const balances = async () => ({
    guest: await hotel.balance(guest.externalId),
    flyer: await airline.balance(flyer.externalId),
  });
  const fund = (points: number) => hotel.earn(guest.externalId, points);
  return {
    hotel,
    airline,
    guest,
    flyer,
    pair,
    rate: expectBody(published, op.createConversionRate, 201),
    quote,
    quoted,
    execute,
    balances,
    fund,
  };
}
