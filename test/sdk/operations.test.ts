import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRouter } from "../../gateway/src/http/context";
import { registerRoutes } from "../../gateway/src/routes";
import { openApiDocument } from "../../gateway/src/routes/meta/openapi";
import { createClient, type GatewayClient } from "../../sdk/src";
import type { OperationInput } from "../../sdk/src/operation-types";
import { operationMethods, operationRoutes } from "../../sdk/src/operations";
import type { TestGateway } from "../support/gateway";
import { onboardWithSdk, startGatewayForSdk } from "../support/sdk";

/** The operations the SDK is generated from: every route, the sandbox's included (scripts/generate-sdk-schema.ts). */
function documentOperations() {
  const router = createRouter();
  registerRoutes(router, { sandbox: true });
  const operations: { id: string; method: string; path: string; body: boolean; query: boolean; keyed: boolean }[] = [];
  type Parameter = { in: string; name: string; required?: boolean };
  for (const [path, item] of Object.entries(openApiDocument(router).paths ?? {}))
    for (const [method, operation] of Object.entries(
      item as Record<string, { operationId: string; requestBody?: unknown; parameters?: Parameter[] }>,
    ))
      operations.push({
        id: operation.operationId,
        method,
        path,
        body: operation.requestBody !== undefined,
        query: (operation.parameters ?? []).some((parameter) => parameter.in === "query"),
        keyed: (operation.parameters ?? []).some(
          (parameter) => parameter.name.toLowerCase() === "idempotency-key" && parameter.required === true,
        ),
      });
  return operations;
}

describe("the generated operations", () => {
  const operations = documentOperations();

  it("route every operation of the document by its operationId, and nothing else", () => {
    expect(Object.keys(operationRoutes).sort()).toEqual(operations.map((operation) => operation.id).sort());
    for (const { id, method, path } of operations)
      expect(operationRoutes[id as keyof typeof operationRoutes], id).toMatchObject({ method, path });
  });

  it("mark exactly the operations whose Idempotency-Key the API requires (those that move points)", () => {
    const marked = Object.entries(operationRoutes)
      .filter(([, route]) => "idempotent" in route)
      .map(([id]) => id);
    expect(marked.sort()).toEqual(
      operations
        .filter((operation) => operation.keyed)
        .map((operation) => operation.id)
        .sort(),
    );
    expect(marked).toEqual(
      expect.arrayContaining(["earnPoints", "burnPoints", "reverseTransaction", "executeConversion"]),
    );
  });

  it("give every operation one method, which passes path parameters in path order, then the body or query, then the options", () => {
    const sent: { id: string; input: OperationInput; options: unknown }[] = [];
    const record = (id: string, input: OperationInput, options: unknown) => {
      sent.push({ id, input, options });
      return Promise.resolve();
    };
    const groups = operationMethods(record as never, record as never);
    for (const methods of Object.values(groups))
      for (const method of Object.values(methods) as ((...args: string[]) => unknown)[])
        method("arg0", "arg1", "arg2", "arg3", "arg4");

    expect(sent.map((call) => call.id).sort()).toEqual(operations.map((operation) => operation.id).sort());
    for (const { id, path, body, query } of operations) {
      const call = sent.find((candidate) => candidate.id === id);
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");
      const args = ["arg0", "arg1", "arg2", "arg3", "arg4"];
      const expected: OperationInput = {};
      if (params.length > 0) expected.path = Object.fromEntries(params.map((param) => [param, args.shift() ?? ""]));
      if (body) expected.body = args.shift();
      if (query) expected.query = args.shift() as never;
      expect(call?.input, id).toEqual(expected);
      expect(call?.options, id).toBe(args.shift());
    }
  });
});

describe("generated methods against a real gateway", () => {
  let started: Awaited<ReturnType<typeof startGatewayForSdk>>;
  let gw: TestGateway;
  let server: { url: string };
  let operator: GatewayClient;
  let periodStart: string;
  beforeAll(async () => {
    started = await startGatewayForSdk();
    ({ gw, server, operator } = started);
    periodStart = gw.clock.now().toISOString();
  });
  afterAll(() => started.close());

  it("calls an operation that needs no token without asking for one", async () => {
    const requests: Request[] = [];
    const client = createClient({
      baseUrl: server.url,
      clientId: "unknown",
      clientSecret: "never-used",
      fetch: (input, init) => {
        requests.push(new Request(input, init));
        return fetch(input, init);
      },
    });
    expect(await client.meta.getHealth()).toMatchObject({ status: "ok", database: "ok" });
    expect((await client.auth.getJwks()).keys.length).toBeGreaterThan(0);
    expect(requests.map((request) => new URL(request.url).pathname)).toEqual(["/health", "/.well-known/jwks.json"]);
    expect(requests.every((request) => !request.headers.has("Authorization"))).toBe(true);
  });

  it("reads a statement as JSON, its CSV as text and its PDF as bytes", async () => {
    const hotel = await onboardWithSdk(operator, server.url, "Statement Hotel");
    await hotel.enrol("G-1");
    await hotel.client.transactions.earn(
      {
        program_id: hotel.program.id,
        external_id: "G-1",
        points: 2_000,
        reference: "stay-1",
      },
      { idempotencyKey: "stay-1" },
    );
    gw.clock.advance(60_000);
    const period = await operator.settlements.closePeriod({ start: periodStart, end: gw.clock.now().toISOString() });
    const summary = period.statements.find((statement) => statement.partner_id === hotel.partner.id);
    if (!summary) throw new Error("no statement for the hotel");

    const listed = [];
    for await (const statement of hotel.client.settlements.list()) listed.push(statement.id);
    expect(listed).toEqual([summary.id]);
    expect((await hotel.client.settlements.get(summary.id)).content_hash).toBe(summary.content_hash);
    const csv = await hotel.client.settlements.downloadCsv(summary.id);
    expect(typeof csv).toBe("string");
    expect(csv.split("\r\n")[0]).toMatch(/^\uFEFF?\w/);
    const pdf = await hotel.client.settlements.downloadPdf(summary.id);
    expect(pdf).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe("%PDF-");
  });

  it("throws a GatewayError with the gateway's code from a method", async () => {
    const { client, program } = await onboardWithSdk(operator, server.url, "Error Shop");
    await expect(client.members.get(program.id, "nobody")).rejects.toMatchObject({ status: 404, code: "not_found" });
    await expect(client.partners.list()).rejects.toMatchObject({ status: 403, code: "forbidden" });
  });
});
