import { expectLedgerInvariants as ledgerInvariants } from "../scenarios/invariants";
import type { TestGateway } from "./gateway";

let sequence = 0;
/** A fresh Idempotency-Key. */
export const newKey = () => `key-${Date.now()}-${++sequence}-${Math.random().toString(36).slice(2)}`;

/** A program owned by a new partner, with a helper to enrol members and move points as that partner. */
export async function setupProgram(gw: TestGateway, overrides: Record<string, unknown> = {}) {
  const owner = await gw.onboardPartner();
  const operator = await gw.operatorToken();
  const program = await gw.call("POST", "/v1/programs", {
    token: operator,
    body: {
      partner_id: owner.partner.id,
      name: "SkyWays Miles",
      point_name: "mile",
      settlement_currency: "USD",
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
      ...overrides,
    },
  });
  if (program.status !== 201) throw new Error(`program: ${program.text}`);
  const programId: string = program.body.id;

  const enrol = async (externalId = `M-${++sequence}`, token = owner.token) => {
    const response = await gw.call("POST", `/v1/programs/${programId}/members`, {
      token,
      body: { external_id: externalId },
    });
    if (response.status !== 201) throw new Error(`enrol: ${response.text}`);
    return externalId;
  };
  const move = (
    kind: "earn" | "burn",
    externalId: string,
    points: number,
    options: { token?: string; key?: string } = {},
  ) =>
    gw.call("POST", `/v1/transactions/${kind}`, {
      token: options.token ?? owner.token,
      headers: { "Idempotency-Key": options.key ?? newKey() },
      body: { program_id: programId, external_id: externalId, points, reference: `${kind}-${sequence}` },
    });
  const balance = async (externalId: string) =>
    (await gw.call("GET", `/v1/programs/${programId}/members/${externalId}`, { token: owner.token })).body.balance;
  return { owner, programId, enrol, move, balance };
}

/** The ledger invariants (test/scenarios/invariants.ts), checked in the in-process gateway's database. */
export async function expectLedgerInvariants(gw: TestGateway) {
  await ledgerInvariants((query, ...args) => gw.deps.reader.all(query, args as never[]));
}
