import { describe, expectTypeOf, it } from "vitest";
import {
  type ApiPromise,
  type CallOptions,
  type Conversion,
  type components,
  createClient,
  type EarnResult,
  type Event,
  type GatewayError,
  type GatewayErrorCode,
  type IdempotentCallOptions,
  type Member,
  type PagePromise,
  type ResponseMeta,
  type Review,
  type Transaction,
  type VerifiedWebhook,
  type WebhookEndpointWithSecret,
  type WebhookEvent,
} from "../../sdk/src";
import { verifyWebhook as verifyAlone } from "../../sdk/src/webhooks";

/**
 * The SDK's generated methods as a partner's compiler sees them. These checks run in `npx tsc --noEmit` (the
 * root tsconfig includes test/); at run time they only build a client that is never called.
 */
type Schemas = components["schemas"];
const client = createClient({ baseUrl: "http://127.0.0.1:1", clientId: "x", clientSecret: "y" });

describe("generated methods", () => {
  it("take the body and options of a body-only operation and resolve to its answer", () => {
    expectTypeOf(client.transactions.earn).parameters.toEqualTypeOf<
      [body: Schemas["EarnPoints"], options: IdempotentCallOptions]
    >();
    expectTypeOf(client.transactions.earn).returns.resolves.toEqualTypeOf<Schemas["EarnResult"]>();
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
    // Typed, never called: a call would reach for the unreachable gateway and reject after this file ended.
    const list = () => client.members.listTransactions("prg_1", "M-1", { limit: 100 });
    expectTypeOf(list).returns.toEqualTypeOf<PagePromise<Schemas["TransactionList"]>>();
    expectTypeOf(list).returns.resolves.toEqualTypeOf<Schemas["TransactionList"]>();
    expectTypeOf(list).returns.toExtend<AsyncIterable<Schemas["Transaction"]>>();
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
    expectTypeOf(
      client.post<"/v1/transactions/earn", { body: Schemas["EarnPoints"]; idempotencyKey: string }>,
    ).returns.resolves.toEqualTypeOf<Schemas["EarnResult"]>();
    expectTypeOf(client.webhooks.verify).toBeFunction();
    expectTypeOf(client.webhooks.createEndpoint).returns.resolves.toEqualTypeOf<Schemas["WebhookEndpointWithSecret"]>();
  });

  it("ask the path-string client for a key on the paths that move points, as the methods do", () => {
    if (Date.now() < 0) {
      const body = { program_id: "p", external_id: "m", points: 1, reference: "r" };
      void client.post("/v1/transactions/earn", { body, idempotencyKey: "r" });
      void client.post("/v1/transactions/burn", { body, generateIdempotencyKey: true });
      // @ts-expect-error no key for a call that moves points
      void client.post("/v1/transactions/earn", { body });
      // Other POSTs keep a generated key by default.
      void client.post("/v1/programs/{program_id}/members", {
        params: { path: { program_id: "p" } },
        body: { external_id: "m" },
      });
    }
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

describe("operations that move points", () => {
  const body = { program_id: "p", external_id: "m", points: 10, reference: "order-1" };
  it("require an idempotency key, or an explicit opt-in to a generated one", () => {
    if (Date.now() < 0) {
      void client.transactions.earn(body, { idempotencyKey: "order-1" });
      void client.transactions.earn(body, { generateIdempotencyKey: true });
      void client.transactions.reverse("txn_1", undefined, { idempotencyKey: "cancel-order-1" });
      void client.conversions.execute({ quote_id: "cqt_1" }, { idempotencyKey: "cqt_1" });
      // @ts-expect-error a call that moves points says which key makes it single
      void client.transactions.earn(body);
      // @ts-expect-error options without a key
      void client.transactions.burn(body, { signal: AbortSignal.timeout(1000) });
      // @ts-expect-error a key and a generated one at once
      void client.transactions.earn(body, { idempotencyKey: "order-1", generateIdempotencyKey: true });
      // @ts-expect-error the opt-in is explicit: false is not an opt-in
      void client.transactions.earn(body, { generateIdempotencyKey: false });
    }
    // Operations that move nothing keep their options optional.
    expectTypeOf(client.members.enrol).parameter(2).toEqualTypeOf<CallOptions | undefined>();
  });

  it("say whether an answer was a replay, and type one-time secrets as null on a replay", () => {
    expectTypeOf(client.transactions.earn).returns.toEqualTypeOf<ApiPromise<EarnResult>>();
    expectTypeOf<Awaited<ReturnType<ApiPromise<EarnResult>["withResponse"]>>>().toEqualTypeOf<{
      data: EarnResult;
      meta: ResponseMeta;
    }>();
    expectTypeOf<ResponseMeta["replayed"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ResponseMeta["idempotencyKey"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WebhookEndpointWithSecret["secret"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Schemas["NewCredential"]["client_secret"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Schemas["CreatedPortalUser"]["set_password_url"]>().toEqualTypeOf<string | null>();
  });

  it("take exactly one of points or purchase in an earn", () => {
    const purchase = { amount_minor: 4_250, currency: "USD" };
    if (Date.now() < 0) {
      void client.transactions.earn({ ...body }, { generateIdempotencyKey: true });
      void client.transactions.earn(
        { program_id: "p", external_id: "m", reference: "r", purchase },
        { generateIdempotencyKey: true },
      );
      // @ts-expect-error neither points nor purchase
      void client.transactions.earn({ program_id: "p", external_id: "m", reference: "r" }, { idempotencyKey: "r" });
      // @ts-expect-error both points and purchase
      void client.transactions.earn({ ...body, purchase }, { idempotencyKey: "r" });
    }
  });
});

describe("named types", () => {
  it("are exported for every schema, and webhook events are typed by their type", () => {
    expectTypeOf<Transaction>().toEqualTypeOf<Schemas["Transaction"]>();
    expectTypeOf<Member>().toEqualTypeOf<Schemas["Member"]>();
    expectTypeOf<WebhookEvent<"points.earned">>().toEqualTypeOf<Schemas["PointsEarnedEvent"]>();
    expectTypeOf<WebhookEvent<"points.earned">["data"]>().toEqualTypeOf<EarnResult>();
    expectTypeOf<WebhookEvent<"conversion.completed">["data"]>().toEqualTypeOf<Conversion>();
    expectTypeOf<WebhookEvent>().toEqualTypeOf<WebhookEvent<WebhookEvent["type"]>>();
    // @ts-expect-error not an event type
    expectTypeOf<WebhookEvent<"points.transferred_to_mars">>().not.toBeNever();
  });

  it("type a listed event by its type, as its webhook", () => {
    expectTypeOf(client.events.list).returns.resolves.toEqualTypeOf<Schemas["EventList"]>();
    expectTypeOf<Schemas["EventList"]["data"][number]>().toEqualTypeOf<Event>();
    const read = (event: Event) => (event.type === "points.earned" ? event.data.points : event.id);
    expectTypeOf(read).returns.toEqualTypeOf<number | string>();
    expectTypeOf<Extract<Event, { type: "member.enrolled" }>["data"]>().toEqualTypeOf<Member>();
  });

  it("make the fields that can be null nullable", () => {
    // An approved burn's review has no conversion.
    expectTypeOf<Review["conversion_id"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Schemas["DecidedReview"]["conversion"]>().toEqualTypeOf<Conversion | null>();
  });
});

describe("webhook verification", () => {
  it("returns the delivery's id, time and typed event, from text or bytes", () => {
    expectTypeOf(client.webhooks.verify).returns.toEqualTypeOf<VerifiedWebhook>();
    expectTypeOf<VerifiedWebhook>().toEqualTypeOf<{ id: string; timestamp: Date; event: WebhookEvent }>();
    expectTypeOf(client.webhooks.verify).parameter(0).toEqualTypeOf<string | Uint8Array>();
    expectTypeOf(verifyAlone).toEqualTypeOf(client.webhooks.verify);
  });
});

describe("client options", () => {
  it("take per-call retries and time limits", () => {
    expectTypeOf<CallOptions["maxRetries"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CallOptions["timeoutMs"]>().toEqualTypeOf<number | undefined>();
    if (Date.now() < 0) void client.members.get("prg_1", "M-1", { maxRetries: 0, timeoutMs: 2_000 });
  });
});

describe("GatewayError", () => {
  it("types retryAfter and rule", () => {
    expectTypeOf<GatewayError["retryAfter"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<GatewayError["rule"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("GatewayError.code", () => {
  it("is the union of the gateway's codes and the client's own", () => {
    expectTypeOf<GatewayError["code"]>().toEqualTypeOf<GatewayErrorCode>();
    expectTypeOf<"insufficient_points" | "idempotency_key_reused" | "rate_limited">().toExtend<GatewayErrorCode>();
    expectTypeOf<"network_error" | "timeout" | "aborted" | "http_502">().toExtend<GatewayErrorCode>();
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
