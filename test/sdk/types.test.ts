import { describe, expectTypeOf, it } from "vitest";
import {
  type CallOptions,
  type components,
  createClient,
  type GatewayError,
  type GatewayErrorCode,
  type PagePromise,
} from "../../sdk/src";

/**
 * The SDK's generated methods as a partner's compiler sees them. These checks run in `npx tsc --noEmit` (the
 * root tsconfig includes test/); at run time they only build a client that is never called.
 */
type Schemas = components["schemas"];
const client = createClient({ baseUrl: "http://127.0.0.1:1", clientId: "x", clientSecret: "y" });

describe("generated methods", () => {
  it("take the body and options of a body-only operation and resolve to its answer", () => {
    expectTypeOf(client.transactions.earn).parameters.toEqualTypeOf<
      [body: Schemas["EarnPoints"], options?: CallOptions]
    >();
    expectTypeOf(client.transactions.earn).returns.resolves.toEqualTypeOf<Schemas["Transaction"]>();
    // 201 and 202 (held for review) answer the same schema.
    expectTypeOf(client.transactions.burn).returns.resolves.toEqualTypeOf<Schemas["Transaction"]>();
    expectTypeOf(client.conversions.execute).returns.resolves.toEqualTypeOf<Schemas["Conversion"]>();
  });

  it("take path parameters first, in path order, then the body", () => {
    expectTypeOf(client.members.get).parameters.toEqualTypeOf<
      [programId: string, externalId: string, options?: CallOptions]
    >();
    expectTypeOf(client.members.get).returns.resolves.toEqualTypeOf<Schemas["Member"]>();
    expectTypeOf(client.members.enrol).parameters.toEqualTypeOf<
      [programId: string, body: Schemas["EnrolMember"], options?: CallOptions]
    >();
    expectTypeOf(client.partners.revokeCredential).parameters.toEqualTypeOf<
      [id: string, clientId: string, options?: CallOptions]
    >();
    // An optional body is an optional argument.
    expectTypeOf(client.reviews.approve).parameters.toEqualTypeOf<
      [id: string, body?: Schemas["ReviewDecision"], options?: CallOptions]
    >();
  });

  it("answer a list as a page to await and an iterator over every item", () => {
    const transactions = client.members.listTransactions("prg_1", "M-1", { limit: 100 });
    expectTypeOf(transactions).toEqualTypeOf<PagePromise<Schemas["TransactionList"]>>();
    expectTypeOf(transactions).resolves.toEqualTypeOf<Schemas["TransactionList"]>();
    expectTypeOf(transactions).toExtend<AsyncIterable<Schemas["Transaction"]>>();
    expectTypeOf(client.partners.list)
      .parameter(0)
      .toEqualTypeOf<{ limit?: number; starting_after?: string; ending_before?: string } | undefined>();
    // A list without a cursor is a plain call.
    expectTypeOf(client.programs.listAgreements).returns.resolves.toEqualTypeOf<Schemas["AgreementList"]>();
  });

  it("read a CSV as text and a PDF as bytes", () => {
    expectTypeOf(client.settlements.downloadCsv).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(client.settlements.downloadPdf).returns.resolves.toEqualTypeOf<ArrayBuffer>();
  });

  it("keep the path-string client and webhook verification beside them", () => {
    expectTypeOf(client.post<"/v1/transactions/earn", { body: Schemas["EarnPoints"] }>).returns.resolves.toEqualTypeOf<
      Schemas["Transaction"]
    >();
    expectTypeOf(client.webhooks.verify).toBeFunction();
    expectTypeOf(client.webhooks.createEndpoint).returns.resolves.toEqualTypeOf<Schemas["WebhookEndpointWithSecret"]>();
  });

  it("refuse what the document does not allow", () => {
    if (Date.now() < 0) {
      // @ts-expect-error points must be a number
      void client.transactions.earn({ program_id: "p", external_id: "m", points: "1", reference: "r" });
      // @ts-expect-error a member is read by program and external id
      void client.members.get("prg_1");
      // @ts-expect-error no such operation
      void client.transactions.transfer({});
      // @ts-expect-error an unknown query parameter
      void client.partners.list({ offset: 20 });
    }
  });
});

describe("GatewayError.code", () => {
  it("is the union of the gateway's codes and the client's own", () => {
    expectTypeOf<GatewayError["code"]>().toEqualTypeOf<GatewayErrorCode>();
    expectTypeOf<"insufficient_points" | "idempotency_key_reused" | "rate_limited">().toExtend<GatewayErrorCode>();
    expectTypeOf<"network_error" | "timeout" | "http_502">().toExtend<GatewayErrorCode>();
    expectTypeOf<Schemas["Problem"]["code"]>().toExtend<GatewayErrorCode>();
    // @ts-expect-error not a code of the gateway or the client
    const unknown: GatewayErrorCode = "insufficient_funds";
    void unknown;
  });

  it("makes a misspelt code in a switch a compile error", () => {
    const advice = (error: GatewayError) => {
      switch (error.code) {
        case "insufficient_points":
          return "ask the member for fewer points";
        // @ts-expect-error not a code: the gateway says insufficient_points
        case "insufficient_funds":
          return "never reached";
        default:
          return error.code;
      }
    };
    expectTypeOf(advice).returns.toBeString();
  });
});
