import { eventTypes } from "../gateway/src/domain/outbox";
import { inParallel, operator } from "./gateway";
import { type Credentials, type SoakClient, soakClient } from "./soak-client";
import type { Receiver } from "./soak-receiver";

/** Points each member gets in each program before the workload, by one earn. */
export const fundingPoints = 5_000;
/** A reward's stock: far more than a run orders, so `out_of_stock` never happens. */
export const rewardStock = 10_000_000;

export type SoakProgram = {
  id: string;
  /** Index of the owning partner in `SoakWorld.partners`. */
  owner: number;
  reward: { id: string; pointsPrice: number };
  transferFeeBps: number;
};

export type SoakWorld = {
  partners: { id: string; credentials: Credentials; client: SoakClient }[];
  programs: SoakProgram[];
  members: number;
  externalId: (member: number) => string;
};

/**
 * The network the soak runs in, made through the public API (API.md, API-programs.md) of the gateway at `url`: an
 * airline and a hotel chain, each owning a program and allowed to earn and burn in the other's by an agreement;
 * conversion rates both ways (with a fee one way); in each program a catalogue reward with ample stock and transfer
 * rules with a fee; each partner's webhook endpoint, subscribed to every event type, at the receiver; and `members`
 * members enrolled in both programs (the same external id), each funded by an earn in each.
 */
export async function createSoakWorld(url: string, receiver: Receiver, members: number): Promise<SoakWorld> {
  const admin = soakClient(url, { clientId: operator.clientId, secret: operator.secret });
  const partners = [];
  for (const name of ["Soak Airline", "Soak Hotels"]) {
    const created = await admin.call<{ id: string; credentials: { client_id: string; client_secret: string } }>(
      "POST",
      "/v1/partners",
      { name, contact_email: "soak@partner.example" },
    );
    const credentials = { clientId: created.credentials.client_id, secret: created.credentials.client_secret };
    partners.push({ id: created.id, credentials, client: soakClient(url, credentials) });
  }

  const programs: SoakProgram[] = [];
  for (const [owner, name] of ["Soak Miles", "Soak Nights"].entries()) {
    const partner = partners[owner] as (typeof partners)[number];
    const other = partners[1 - owner] as (typeof partners)[number];
    const program = await admin.call<{ id: string }>("POST", "/v1/programs", {
      partner_id: partner.id,
      name,
      point_name: "point",
      settlement_currency: "USD",
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
    });
    await admin.call("POST", `/v1/programs/${program.id}/agreements`, {
      partner_id: other.id,
      can_earn: true,
      can_burn: true,
      issue_price_micros: 11_000,
      redeem_price_micros: 9_000,
    });
    const pointsPrice = 300 + 200 * owner;
    const reward = await partner.client.call<{ id: string }>("POST", `/v1/programs/${program.id}/rewards`, {
      sku: `SOAK-${owner}`,
      name: `${name} gift box`,
      type: "product",
      points_price: pointsPrice,
      stock: rewardStock,
      fulfilment: "partner",
      active: true,
    });
    const transferFeeBps = 150;
    await partner.client.call("PUT", `/v1/programs/${program.id}/transfer-rules`, {
      enabled: true,
      min_points: 10,
      fee_bps: transferFeeBps,
    });
    programs.push({ id: program.id, owner, reward: { id: reward.id, pointsPrice }, transferFeeBps });
  }
  const [miles, nights] = programs as [SoakProgram, SoakProgram];
  for (const rate of [
    { from_program_id: miles.id, to_program_id: nights.id, from_points: 100, to_points: 40, fee_bps: 100 },
    { from_program_id: nights.id, to_program_id: miles.id, from_points: 100, to_points: 220, fee_bps: 0 },
  ])
    await admin.call("POST", "/v1/conversion-rates", { ...rate, min_points: 100, increment: 100 });

  for (const [index, partner] of partners.entries()) {
    const path = `/partner-${index}`;
    const endpoint = await partner.client.call<{ secret: string }>("POST", "/v1/webhook-endpoints", {
      url: receiver.urlOf(path),
      event_types: eventTypes,
      description: "crash soak receiver",
    });
    receiver.accept(path, endpoint.secret);
  }

  const externalId = (member: number) => `SOAK-${member}`;
  for (const program of programs) {
    const owner = (partners[program.owner] as (typeof partners)[number]).client;
    await inParallel(members, 32, (member) =>
      owner.call("POST", `/v1/programs/${program.id}/members`, { external_id: externalId(member) }),
    );
    await inParallel(members, 32, (member) =>
      owner.call(
        "POST",
        "/v1/transactions/earn",
        { program_id: program.id, external_id: externalId(member), points: fundingPoints, reference: "funding" },
        `funding-${program.id}-${member}`,
      ),
    );
  }
  return { partners, programs, members, externalId };
}
