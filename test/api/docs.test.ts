import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../gateway/src/app";
import { operatorScope, partnerScopes } from "../../gateway/src/auth/scopes";
import { errorCodes } from "../../gateway/src/errors";
import { createRouter } from "../../gateway/src/http/context";
import { nodeDocsScript } from "../../gateway/src/node-docs-script";
import { registerRoutes } from "../../gateway/src/routes";
import { openApiDocument } from "../../gateway/src/routes/meta/openapi";
import { gatewayVersion } from "../../gateway/src/routes/meta/version";
import { createTestGateway, type TestGateway } from "../support/gateway";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw.close());

/** Operations anyone may call without a token. */
const publicOperations = new Set(["POST /oauth/token", "GET /.well-known/jwks.json", "GET /health"]);
const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

type Operation = {
  name: string;
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
/** The parts of a JSON Schema the document's checks walk. */
type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

async function documentOperations() {
  const { body } = await gw.call("GET", "/openapi.json");
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, Omit<Operation, "name">>>(body.paths))
    for (const method of methods)
      if (item[method]) operations.push({ name: `${method.toUpperCase()} ${path}`, ...item[method] });
  return { document: body, operations };
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document titled coalition-gateway at the gateway's version", async () => {
    const response = await gw.call("GET", "/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.body.openapi).toBe("3.1.0");
    expect(response.body.info).toMatchObject({ title: "coalition-gateway", version: gatewayVersion });
    expect(response.body.servers).toEqual([{ url: "/", description: expect.any(String) }]);
  });

  it("keeps the version constant in step with package.json", () => {
    const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(gatewayVersion).toBe(packageJson.version);
  });

  it("explains auth, idempotency, errors and pagination, and lists every error code", async () => {
    const { description } = (await gw.call("GET", "/openapi.json")).body.info;
    for (const topic of ["client credentials", "Bearer", "Idempotency-Key", "problem+json", "request_id", "errors"])
      expect(description).toContain(topic);
    expect(description).toMatch(/starting_after/);
    for (const [code, [status]] of Object.entries(errorCodes))
      expect(description).toContain(`| \`${code}\` | ${status} |`);
  });

  it("registers bearerAuth (JWT) and oauth2 client credentials with every scope described", async () => {
    const { securitySchemes } = (await gw.call("GET", "/openapi.json")).body.components;
    expect(securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    const flow = securitySchemes.oauth2.flows.clientCredentials;
    expect(securitySchemes.oauth2.type).toBe("oauth2");
    expect(flow.tokenUrl).toBe("/oauth/token");
    expect(Object.keys(flow.scopes).sort()).toEqual([operatorScope, ...partnerScopes].sort());
    for (const description of Object.values(flow.scopes)) expect(description).toMatch(/\w{3,}/);
  });

  it("gives every operation a summary and a tag that the document declares", async () => {
    const { document, operations } = await documentOperations();
    const declared = new Set(document.tags.map((tag: { name: string }) => tag.name));
    expect(operations.length).toBeGreaterThan(1);
    for (const operation of operations) {
      expect(operation.summary, operation.name).toMatch(/\w/);
      expect(operation.tags?.length, operation.name).toBeGreaterThan(0);
      for (const tag of operation.tags ?? []) expect(declared.has(tag), `${operation.name} tag ${tag}`).toBe(true);
    }
  });

  it("requires a registered security scheme on every operation except the public ones", async () => {
    const { document, operations } = await documentOperations();
    const schemes = Object.keys(document.components.securitySchemes);
    for (const operation of operations) {
      if (publicOperations.has(operation.name)) {
        expect(operation.security ?? [], operation.name).toEqual([]);
        continue;
      }
      expect(operation.security?.length, operation.name).toBeGreaterThan(0);
      for (const requirement of operation.security ?? [])
        for (const scheme of Object.keys(requirement)) expect(schemes, operation.name).toContain(scheme);
    }
  });

  it("documents 4xx problem responses: 401 and 403 where a token is needed, 400 for a body, 404 for a path id", async () => {
    const { operations } = await documentOperations();
    for (const operation of operations) {
      const statuses = Object.keys(operation.responses);
      for (const status of statuses.filter((status) => /^[45]/.test(status))) {
        const content = operation.responses[status]?.content ?? {};
        expect(Object.keys(content), `${operation.name} ${status}`).toEqual(["application/problem+json"]);
        expect(content["application/problem+json"]?.schema?.$ref).toBe("#/components/schemas/Problem");
      }
      if (!publicOperations.has(operation.name))
        expect(statuses, operation.name).toEqual(expect.arrayContaining(["401", "403"]));
      if (operation.requestBody) expect(statuses, operation.name).toContain("400");
      if (operation.parameters?.some((parameter) => parameter.in === "path"))
        expect(statuses, operation.name).toContain("404");
    }
  });

  it("names every operation with a unique camelCase operationId, verb first", async () => {
    const { operations } = await documentOperations();
    for (const operation of operations)
      expect(operation.operationId, operation.name).toMatch(/^[a-z]+(?:[A-Z][a-z0-9]+)+$/);
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("enumerates every error code in Problem.code", async () => {
    const { document } = await documentOperations();
    expect(document.components.schemas.Problem.properties.code.enum).toEqual(Object.keys(errorCodes));
  });

  it("marks every timestamp of a response or a webhook as format date-time, and a calendar date as date", async () => {
    const { document, operations } = await documentOperations();
    const timestamps = new Map<string, unknown>();
    const seen = new Set<unknown>();
    const visit = (where: string, schema: Schema | undefined) => {
      if (!schema || seen.has(schema)) return;
      seen.add(schema);
      if (schema.$ref) return visit(schema.$ref, document.components.schemas[schema.$ref.split("/").at(-1) ?? ""]);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        // A tier change's `from` and `to` are tier keys, not instants.
        if (
          /(^|_)(at|since|from|until|timestamp|start|end)$/.test(name) &&
          !/(MemberTierChanged|MemberActivityTierChange)$/.test(where) &&
          // A count named for a moment (a tier's `members_at_start`) is a number, never an instant.
          property.type !== "integer"
        )
          timestamps.set(`${where}.${name}`, property.format ?? property.$ref ?? property.type);
        visit(`${where}.${name}`, property);
      }
      for (const inner of [schema.items, ...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
        visit(where, inner);
    };
    for (const operation of operations)
      for (const [status, response] of Object.entries(operation.responses))
        if (status.startsWith("2"))
          for (const media of Object.values(response.content ?? {})) visit(operation.name, media.schema);
    for (const [type, item] of Object.entries<{ post: { requestBody: Operation["responses"][string] } }>(
      document.webhooks,
    ))
      for (const media of Object.values(item.post.requestBody.content ?? {})) visit(`webhook ${type}`, media.schema);
    expect(timestamps.size).toBeGreaterThan(30);
    // Reports speak of the program's local days (`from`, `to`, a bucket's `start`): those are dates, not instants.
    for (const [field, format] of timestamps) expect(["date-time", "date"], field).toContain(format);
  });

  it("documents GET /health under Meta with no security and a 503", async () => {
    const { document } = await documentOperations();
    const health = document.paths["/health"].get;
    expect(health.tags).toEqual(["Meta"]);
    expect(health.security).toEqual([]);
    expect(Object.keys(health.responses).sort()).toEqual(["200", "503"]);
  });

  it("is what openApiDocument builds from the routes alone, without deps or a server", async () => {
    const router = createRouter();
    registerRoutes(router);
    const served = (await gw.call("GET", "/openapi.json")).body;
    expect(openApiDocument(router)).toEqual(served);
  });

  it("can be read cross-origin", async () => {
    const response = await gw.call("GET", "/openapi.json", { headers: { Origin: "https://partner.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("GET /docs", () => {
  it("renders the Scalar reference over /openapi.json with its script from /docs/scalar.js", async () => {
    const response = await gw.call("GET", "/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.text).toContain('<script src="/docs/scalar.js"></script>');
    expect(response.text).toMatch(/Scalar\.createApiReference\('#app'/);
    expect(response.text).toMatch(/"url":\s*"\/openapi\.json"/);
  });

  it("references no script, stylesheet, font or image on another origin", async () => {
    const { text } = await gw.call("GET", "/docs");
    const references = [...text.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((match) => match[1]);
    const cssUrls = [...text.matchAll(/url\(\s*["']?([^"')]+)/gi)].map((match) => match[1]);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of [...references, ...cssUrls]) expect(reference).toMatch(/^\/(?!\/)/);
    expect(text).not.toMatch(/https?:\/\/|cdn\.jsdelivr|fonts\.scalar\.com/);
  });

  it("turns off Scalar's default web fonts, request proxy, telemetry and agent", async () => {
    const { text } = await gw.call("GET", "/docs");
    expect(text).toMatch(/"withDefaultFonts":\s*false/);
    expect(text).toMatch(/"proxyUrl":\s*""/);
    expect(text).toMatch(/"telemetry":\s*false/);
    expect(text).toMatch(/"agent":\s*\{\s*"disabled":\s*true\s*\}/);
  });

  it("is sent under a Content-Security-Policy that names no other origin", async () => {
    const response = await gw.call("GET", "/docs");
    const policy = response.headers.get("content-security-policy") ?? "";
    const directives = new Map(
      policy.split(";").map((directive) => {
        const [name = "", ...sources] = directive.trim().split(/\s+/);
        return [name, sources] as const;
      }),
    );
    for (const name of ["script-src", "style-src", "connect-src"]) expect(directives.get(name)).toContain("'self'");
    for (const [name, sources] of directives)
      for (const source of sources) expect(source, name).toMatch(/^('self'|'none'|'unsafe-inline'|data:|blob:)$/);
  });
});

describe("GET /docs/scalar.js", () => {
  const bundle = readFileSync(createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js"));

  it("serves Scalar's bundle on Node, gzipped when accepted, with an ETag and a day of caching", async () => {
    const app = createApp({ ...gw.deps, docsScript: nodeDocsScript() });
    const response = await app.request("/docs/scalar.js", { headers: { "Accept-Encoding": "gzip, br" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("cache-control")).toMatch(/max-age=86400/);
    const body = gunzipSync(Buffer.from(await response.arrayBuffer()));
    expect(body.equals(bundle)).toBe(true);

    const plain = await app.request("/docs/scalar.js");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.arrayBuffer()).byteLength).toBe(bundle.byteLength);

    const etag = response.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.request("/docs/scalar.js", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });

  it("answers 404 not_found where the host provides no script (Workers serve it as a static asset)", async () => {
    const response = await gw.call("GET", "/docs/scalar.js");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body.code).toBe("not_found");
  });
});

describe("GET /health", () => {
  it("answers ok with the database, the version and whether it is a sandbox, not cached", async () => {
    const response = await gw.call("GET", "/health");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok", database: "ok", version: gatewayVersion, sandbox: false });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 service_unavailable once the database is closed, without the driver's message", async () => {
    const down = await createTestGateway();
    await down.close();
    const response = await down.call("GET", "/health");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body).toMatchObject({
      code: "service_unavailable",
      status: 503,
      detail: "The database did not answer.",
      request_id: response.headers.get("request-id"),
    });
    expect(response.headers.get("retry-after")).toBe("5");
    expect(down.logs).toContainEqual(
      expect.objectContaining({ level: "warn", message: "health check: database unavailable" }),
    );
  });
});
