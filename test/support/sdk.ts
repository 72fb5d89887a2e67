import { createClient, type GatewayClient } from "../../sdk/src";
import { createTestGateway, operatorCredential } from "./gateway";

let sequence = 0;

/**
 * A partner with its own USD program, onboarded by the operator through the SDK, and the partner's own SDK
 * client (with `options` such as a custom `fetch`).
 */
export async function onboardWithSdk(
  operator: GatewayClient,
  baseUrl: string,
  name: string,
  options: Partial<Parameters<typeof createClient>[0]> = {},
) {
  const partner = await operator.post("/v1/partners", {
    body: { name: `${name} ${++sequence}`, contact_email: "dev@partner.example" },
  });
  const program = await operator.post("/v1/programs", {
    body: {
      partner_id: partner.id,
      name: `${name} Rewards`,
      point_name: "point",
      settlement_currency: "USD",
      issue_price_micros: 10_000,
      redeem_price_micros: 8_000,
    },
  });
  const client = createClient({
    baseUrl,
    clientId: partner.credentials.client_id,
    clientSecret: partner.credentials.client_secret ?? "",
    ...options,
  });
  const enrol = (externalId: string) =>
    client.post("/v1/programs/{program_id}/members", {
      params: { path: { program_id: program.id } },
      body: { external_id: externalId },
    });
  return { partner, program, client, enrol };
}

/** A test gateway listening on 127.0.0.1, and the operator's SDK client for it. */
export async function startGatewayForSdk(env: Record<string, string> = {}) {
  const gw = await createTestGateway(env);
  const server = await gw.listen();
  const operator = createClient({
    baseUrl: server.url,
    clientId: operatorCredential.clientId,
    clientSecret: operatorCredential.secret,
  });
  return {
    gw,
    server,
    operator,
    async close() {
      await server.stop();
      await gw.close();
    },
  };
}
