import type { TestGateway } from "./gateway";
import { newKey, setupProgram } from "./ledger";

/**
 * A hotel program and an airline program owned by two partners, a member in each, and a rate from hotel
 * points to airline miles. The hotel (the source's owner) converts for its member.
 */
export async function setupConversion(
  gw: TestGateway,
  rate: Record<string, unknown> = {},
  hotelProgram: Record<string, unknown> = {},
) {
  const hotel = await setupProgram(gw, { name: "Harbor Rewards", point_name: "point", ...hotelProgram });
  const airline = await setupProgram(gw, { name: "SkyWays Miles", issue_price_micros: 15_000 });
  const guest = await hotel.enrol();
  const flyer = await airline.enrol();
  const operator = await gw.operatorToken();
  const published = await publishRate(gw, operator, {
    from_program_id: hotel.programId,
    to_program_id: airline.programId,
    from_points: 1_000,
    to_points: 600,
    min_points: 1_000,
    increment: 1_000,
    fee_bps: 0,
    ...rate,
  });
  const token = () => gw.token(hotel.owner.clientId, hotel.owner.secret);
  const quote = async (fromPoints: number, overrides: Record<string, unknown> = {}) =>
    gw.call("POST", "/v1/conversions/quotes", {
      token: await token(),
      body: {
        from_program_id: hotel.programId,
        from_external_id: guest,
        to_program_id: airline.programId,
        to_external_id: flyer,
        from_points: fromPoints,
        ...overrides,
      },
    });
  const execute = async (quoteId: string, key = newKey()) =>
    gw.call("POST", "/v1/conversions", {
      token: await token(),
      headers: { "Idempotency-Key": key },
      body: { quote_id: quoteId },
    });
  const balances = async () => ({
    guest: (
      await gw.call("GET", `/v1/programs/${hotel.programId}/members/${guest}`, {
        token: await gw.token(hotel.owner.clientId, hotel.owner.secret),
      })
    ).body.balance,
    flyer: (
      await gw.call("GET", `/v1/programs/${airline.programId}/members/${flyer}`, {
        token: await gw.token(airline.owner.clientId, airline.owner.secret),
      })
    ).body.balance,
  });
  const fund = async (points: number) => hotel.move("earn", guest, points, { token: await token() });
  return { hotel, airline, guest, flyer, rate: published, quote, execute, balances, fund, token };
}

export async function publishRate(gw: TestGateway, operator: string, body: Record<string, unknown>) {
  const response = await gw.call("POST", "/v1/conversion-rates", { token: operator, body });
  if (response.status !== 201) throw new Error(`rate: ${response.status} ${response.text}`);
  return response.body;
}
