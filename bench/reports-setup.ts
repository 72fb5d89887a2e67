import Database from "libsql";
import type { BenchGateway } from "./gateway";
import type { HistoryProgram } from "./reports-history";

/** The measured program's name, by which a later run finds it in a kept file. */
const mainProgramName = "Bench Miles";

/** The programs of the reports bench, as created through the API, with what the history needs of each. */
export type ReportsWorld = { programs: HistoryProgram[]; main: HistoryProgram & { timezone: string } };

/**
 * The partners, programs and catalogue of the reports bench, created through the API of an in-process gateway on
 * the bench's file (only the journal and its members are loaded directly): an airline's program in New York time
 * whose points expire after 180 days, with a grocer earning and burning in it, a reward and a promotion whose
 * bonuses the history pays; a hotel's program (365 days, Lisbon) and a café's (no expiry, UTC) for conversions
 * between programs; conversion rates both ways; transfers enabled in the airline's program.
 */
export async function createReportsWorld(gw: BenchGateway, members: number): Promise<ReportsWorld> {
  const token = await gw.operatorToken();
  const partner = async (name: string) =>
    (await gw.call("POST", "/v1/partners", { token, body: { name, contact_email: "bench@partner.example" } })) as {
      id: string;
      credentials: { client_id: string; client_secret: string };
    };
  const program = async (
    owner: string,
    name: string,
    settings: { timezone: string; expireAfterDays: number | null },
  ): Promise<string> => {
    const created = await gw.call("POST", "/v1/programs", {
      token,
      body: {
        partner_id: owner,
        name,
        point_name: "point",
        settlement_currency: "USD",
        issue_price_micros: 12_000,
        redeem_price_micros: 10_000,
        points_expire_after_days: settings.expireAfterDays,
      },
    });
    await gw.call("PATCH", `/v1/programs/${created.id}`, { token, body: { timezone: settings.timezone } });
    return created.id as string;
  };
  const [airline, hotel, cafe, grocer] = [
    await partner("Bench Airline"),
    await partner("Bench Hotels"),
    await partner("Bench Café"),
    await partner("Bench Grocer"),
  ];
  const air = await program(airline.id, mainProgramName, { timezone: "America/New_York", expireAfterDays: 180 });
  const stay = await program(hotel.id, "Bench Stays", { timezone: "Europe/Lisbon", expireAfterDays: 365 });
  const coffee = await program(cafe.id, "Bench Beans", { timezone: "UTC", expireAfterDays: null });
  await gw.call("POST", `/v1/programs/${air}/agreements`, {
    token,
    body: {
      partner_id: grocer.id,
      can_earn: true,
      can_burn: true,
      issue_price_micros: 11_000,
      redeem_price_micros: 9_000,
    },
  });
  for (const [from, to] of [
    [air, stay],
    [stay, air],
    [air, coffee],
    [coffee, air],
  ])
    await gw.call("POST", "/v1/conversion-rates", {
      token,
      body: {
        from_program_id: from,
        to_program_id: to,
        from_points: 500,
        to_points: 300,
        min_points: 500,
        increment: 500,
        fee_bps: 0,
      },
    });
  const ownerToken = await gw.token(airline.credentials.client_id, airline.credentials.client_secret);
  const reward = await gw.call("POST", `/v1/programs/${air}/rewards`, {
    token: ownerToken,
    body: {
      sku: "BENCH-LOUNGE",
      name: "Lounge pass",
      type: "product",
      points_price: 500,
      fulfilment: "partner",
      active: true,
    },
  });
  const promotion = await gw.call("POST", `/v1/programs/${air}/promotions`, {
    token: ownerToken,
    body: {
      name: "Bench 20% bonus",
      status: "active",
      starts_at: new Date().toISOString(),
      trigger: "earn",
      reward: { multiplier_bps: 12_000 },
    },
  });
  await gw.call("PUT", `/v1/programs/${air}/transfer-rules`, { token: ownerToken, body: { enabled: true } });
  const main = {
    id: air,
    ownerId: airline.id,
    partnerIds: [grocer.id],
    expireAfterDays: 180,
    members,
    weight: 88,
    reward: { id: reward.id as string, pointsPrice: 500 },
    promotionId: promotion.id as string,
    timezone: "America/New_York",
  };
  return {
    main,
    programs: [
      main,
      { id: stay, ownerId: hotel.id, partnerIds: [], expireAfterDays: 365, members: Math.ceil(members / 8), weight: 8 },
      {
        id: coffee,
        ownerId: cafe.id,
        partnerIds: [],
        expireAfterDays: null,
        members: Math.ceil(members / 16),
        weight: 4,
      },
    ],
  };
}

/** The measured program of a file an earlier run seeded (BENCH_REPORTS_FILE), by its name. */
export function findMainProgram(file: string): { id: string; timezone: string } {
  const db = new Database(file, { readonly: true });
  try {
    const found = db.prepare("select id, timezone from programs where name = ?").get(mainProgramName) as
      | { id: string; timezone: string }
      | undefined;
    if (!found) throw new Error(`${file} has no program named ${mainProgramName}: not a reports bench file`);
    return found;
  } finally {
    db.close();
  }
}
