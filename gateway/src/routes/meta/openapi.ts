import type { OpenAPIHono } from "@hono/zod-openapi";
import { operatorScope, type Scope } from "../../auth/scopes";
import { errorCodes } from "../../errors";
import type { AppEnv } from "../../http/context";
import { nullableRefs } from "./nullable-refs";
import { gatewayVersion } from "./version";

type DocumentSource = Pick<OpenAPIHono<AppEnv>, "getOpenAPI31Document">;
/** The OpenAPI 3.1 document as zod-openapi types it. */
export type OpenApiDocument = ReturnType<DocumentSource["getOpenAPI31Document"]>;
type Server = NonNullable<OpenApiDocument["servers"]>[number];
type Tag = NonNullable<OpenApiDocument["tags"]>[number];

/** What each scope lets a token do; a `Record` so a new scope in auth/scopes.ts cannot go undescribed. */
export const scopeDescriptions: Record<Scope, string> = {
  [operatorScope]:
    "Coalition operator: partners, programs, agreements, rates, fraud rules, reviews, settlement periods",
  "members:write": "Enroll members and update their details",
  "members:read": "Read members, balances and transaction history",
  "points:earn": "Credit points (earn) and reverse earns",
  "points:burn": "Debit points (burn) and reverse burns",
  "conversions:write": "Quote and execute conversions between programs",
  "webhooks:manage": "Manage webhook endpoints, read events and deliveries, resend events",
  "settlements:read": "Read settlement statements (JSON, CSV, PDF)",
  "programs:manage":
    "Configure the programs the partner owns (settings, and later tiers, segments, promotions, rewards)",
};

/** Tag order and descriptions; tags no operation uses are left out, unknown ones are appended. */
const tagDescriptions: Record<string, string> = {
  Auth: "OAuth 2.0 client credentials tokens and the keys that verify them.",
  Partners: "Operator: onboard partners, manage their credentials, limits and portal users.",
  Programs: "Operator: loyalty programs, their prices and the agreements that let partners earn or burn.",
  "Conversion rates": "Operator: rates between programs.",
  Fraud: "Operator: velocity rules and fraud events.",
  Reviews: "Operator: conversions and transactions held for review.",
  Members: "Partner: enroll members and read balances.",
  Transactions: "Partner: earn, burn and reverse points.",
  Conversions: "Partner: quote and convert points between programs.",
  Webhooks: "Partner: webhook endpoints and their deliveries.",
  Events: "Partner: the events the gateway recorded for you (what webhooks deliver), to read and resend.",
  Campaigns:
    "Program owners: plan campaigns, group their promotions and name the segments they target; read how they did.",
  Promotions:
    "Program owners: bonuses the gateway pays by itself on qualifying earns, enrolments and activities (multipliers, " +
    "fixed bonuses, challenges, referrals), with schedules, audiences, budgets and control groups. Partners with an " +
    "agreement read the active ones.",
  Activities:
    "Partner: a member's qualifying activities (reviews, surveys, visits) that challenges and promotions count.",
  Tiers: "Program owners: the tier table, qualification and a member's tier set by hand; partners read them.",
  Segments: "Program owners: dynamic segments by rules and static marketing lists, with counts and members.",
  RFM: "Program owners: recency, frequency and monetary scores of the members and their grid.",
  Rewards: "Program owners: the rewards catalogue, its CSV import and voucher code pools; partners read it.",
  Redemptions: "Partner: orders of rewards for points, and their fulfilment, cancellation and return.",
  Transfers: "Partner: members giving points to each other under the program's transfer rules.",
  Touchpoints: "Partner: every contact between a member and the program (calls, emails, visits), recorded and listed.",
  Reports:
    "Program owners and the operator: KPIs, liability and breakage, tiers, promotions, rewards, touchpoints, ad-hoc " +
    "report definitions and the network, each as JSON and CSV.",
  Settlements: "Settlement periods and the statements partners receive.",
  Meta: "Health and documentation of the gateway itself.",
  Sandbox:
    "Sandbox deployments only (`SANDBOX=true`): a test clock the operator moves forward, and the scheduled jobs on request.",
};

const errorCodeTable = [
  "| Code | Status | Meaning |",
  "| --- | --- | --- |",
  ...Object.entries(errorCodes).map(([code, [status, title]]) => `| \`${code}\` | ${status} | ${title} |`),
].join("\n");

const description = `
The HTTP API of a coalition loyalty network: partners earn and burn points in their programs, convert points
between programs, receive signed webhooks and monthly settlement statements.

## Authentication
Every \`/v1\` call carries an access token: \`Authorization: Bearer <token>\`.
Get one with the OAuth 2.0 **client credentials** grant at \`POST /oauth/token\`, sending your \`client_id\` and
\`client_secret\` with HTTP Basic or in a form body. The token is a short-lived JWT (at most 15 minutes; see
\`expires_in\`) whose \`scope\` lists what it may do; request a new one when it expires. A missing or expired
token is \`401 unauthorized\`, a token without the route's scope \`403 forbidden\`. The keys that sign tokens are
published at \`GET /.well-known/jwks.json\`.

## Idempotency
Send an \`Idempotency-Key\` header (1 to 255 characters, e.g. a UUID) with every POST; it is required on POSTs
that move points. Keys are scoped to your partner and kept at least 24 hours.
- Same key, same body: the first response is returned again, with \`Idempotent-Replayed: true\`.
- Same key, different body: \`422 idempotency_key_reused\`, nothing is written.
- Same key while the first request is still running: \`409 idempotency_in_flight\`; retry shortly.

## Errors
Errors are \`application/problem+json\` ([RFC 9457](https://www.rfc-editor.org/rfc/rfc9457)) with \`type\`,
\`title\`, \`status\`, \`detail\`, a stable machine-readable \`code\` and the \`request_id\` (also sent as the
\`Request-Id\` header of every response; quote it when you contact us). Validation errors list each field in
\`errors: [{ "path": "purchase.amount_minor", "message": "..." }]\`. Branch on \`code\`, never on \`detail\`.

${errorCodeTable}

A conversion held by fraud rules is not an error: it answers \`202\` with \`status: "held"\` and a \`review_id\`.

## Pagination
Lists take \`?limit=\` (1 to 100, default 20) and a cursor, \`?starting_after=<id>\` (the last id of the page you
have) or \`?ending_before=<id>\` (the first one), and return \`{ "object": "list", "data": [...], "has_more": true }\`,
newest first.

## Rate limits
A limited response is \`429 rate_limited\` with \`Retry-After\` (seconds). Limited endpoints send the
\`RateLimit-Policy\` and \`RateLimit\` headers so you can slow down before that.

## Conventions
JSON fields are snake_case; ids are prefixed strings (\`ptn_\`, \`prg_\`, \`mem_\`, \`txn_\`, ...); timestamps are
RFC 3339 UTC; points are integers; money is \`amount_minor\` with an ISO 4217 \`currency\`.
`.trim();

const securitySchemes = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from `POST /oauth/token`, sent as `Authorization: Bearer <token>`.",
  },
  oauth2: {
    type: "oauth2",
    description: "OAuth 2.0 client credentials grant; the resulting access token is sent as a bearer token.",
    flows: { clientCredentials: { tokenUrl: "/oauth/token", scopes: scopeDescriptions } },
  },
} as const;

/** Servers of the served document: relative, so the reference and its "try it" calls use the host that serves it. */
export const defaultServers: Server[] = [{ url: "/", description: "This gateway" }];

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** The tags operations use, in the order of `tagDescriptions`, with their descriptions. */
function usedTags(paths: OpenApiDocument["paths"]): Tag[] {
  const used = new Set<string>();
  for (const item of Object.values(paths ?? {}))
    for (const method of methods) for (const tag of item[method]?.tags ?? []) used.add(tag);
  const known = Object.keys(tagDescriptions).filter((name) => used.has(name));
  const unknown = [...used].filter((name) => !(name in tagDescriptions)).sort();
  return [...known.map((name) => ({ name, description: tagDescriptions[name] })), ...unknown.map((name) => ({ name }))];
}

/**
 * The OpenAPI 3.1 document of every operation registered on `app`, with info, tags and security schemes.
 * Pure: it reads the app's route registry and changes nothing, so the SDK generator can call it on
 * `registerRoutes(createRouter())` without deps, a database or a server.
 */
export function openApiDocument(app: DocumentSource, options: { servers?: Server[] } = {}): OpenApiDocument {
  const document = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "coalition-gateway",
      version: gatewayVersion,
      description,
    },
    servers: options.servers ?? defaultServers,
  });
  return nullableRefs({
    ...document,
    tags: usedTags(document.paths),
    components: {
      ...document.components,
      securitySchemes: { ...document.components?.securitySchemes, ...securitySchemes },
    },
  });
}

/** `GET /openapi.json`: the document of `app`, built on first request (after every route is mounted). */
export const register = (app: OpenAPIHono<AppEnv>) => {
  let cached: string | undefined;
  app.get("/openapi.json", (c) => {
    cached ??= JSON.stringify(openApiDocument(app));
    c.header("Cache-Control", "public, max-age=300");
    return c.body(cached, 200, { "Content-Type": "application/json; charset=utf-8" });
  });
};
