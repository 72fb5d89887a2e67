/**
 * `npm run demo`: seeds a small, realistic coalition into the configured database (DATABASE_URL, default
 * ./data/gateway.db): an airline, a hotel chain and a grocer, each with its program, prices, cross-program
 * agreements, portal users and members. Prints the credentials and a few member ids so you can call the
 * API at once. It runs through the same domain functions as the API and refuses to seed twice.
 */
import { partnerScopes } from "../gateway/src/auth/scopes";
import { prepare } from "../gateway/src/bootstrap";
import { systemClock } from "../gateway/src/clock";
import { type Config, parseConfig } from "../gateway/src/config";
import { findPortalUserEmail } from "../gateway/src/db/queries/portal-users";
import { buildDeps } from "../gateway/src/deps";
import { createRate } from "../gateway/src/domain/conversions/rates";
import { createPartner } from "../gateway/src/domain/partners";
import { createPortalUser } from "../gateway/src/domain/portal-users";
import { createAgreement, createProgram } from "../gateway/src/domain/programs";
import { closePeriod } from "../gateway/src/domain/settlement/close";
import { createLimiter } from "../gateway/src/limits/create";
import { openNodeDatabase, shownDatabaseUrl } from "../gateway/src/node-database";
import { exitOnStartError } from "../gateway/src/start-error";
import { memberExternalId, seedMemberHistory } from "./demo-history";

const coalition = [
  {
    partner: { name: "SkyWays Airlines", contactEmail: "loyalty-dev@skyways.example" },
    memberPrefix: "SK",
    program: {
      name: "SkyWays Miles",
      pointName: "mile",
      settlementCurrency: "USD",
      issue: 12_000,
      redeem: 10_000,
      expireDays: 730,
    },
    users: [{ email: "finance@skyways.example", role: "finance" as const }],
  },
  {
    partner: { name: "Grand Harbor Hotels", contactEmail: "rewards-it@grandharbor.example" },
    memberPrefix: "GH",
    program: {
      name: "Harbor Rewards",
      pointName: "point",
      settlementCurrency: "USD",
      issue: 5_000,
      redeem: 4_000,
      expireDays: 365,
    },
    users: [{ email: "admin@grandharbor.example", role: "admin" as const }],
  },
  {
    partner: { name: "FreshCart Grocers", contactEmail: "digital@freshcart.example" },
    memberPrefix: "FC",
    program: {
      name: "FreshCart Points",
      pointName: "point",
      settlementCurrency: "BRL",
      issue: 30_000,
      redeem: 25_000,
      expireDays: null,
    },
    users: [{ email: "viewer@freshcart.example", role: "viewer" as const }],
  },
];

const demoPassword = "demo-password-2026";

const settingsHint = "`npm start -- --help` lists every setting.";
let config: Config;
try {
  // Links and the SDK example's GATEWAY_URL name the port `npm start` will listen on, as the gateway does.
  const port = parseConfig(process.env).PORT;
  config = parseConfig(process.env, { listeningPort: port === 0 ? undefined : port });
} catch (error) {
  exitOnStartError(error, settingsHint);
}
const { db, writer, reader, close } = await openNodeDatabase(config).catch((error) =>
  exitOnStartError(error, settingsHint),
);
const deps = buildDeps({
  db,
  writer,
  reader,
  limiter: createLimiter(config, systemClock),
  config,
  clock: systemClock,
  log: () => {},
});
const { operator } = await prepare(deps);

// The demo's mark is its portal users: only the demo creates them (the README's tour creates a partner with
// the same name, but no portal user), and their emails are unique, so a second seeding could not add them.
const portalEmails = coalition.flatMap((entry) => entry.users.map((user) => user.email));
const seeded = await findPortalUserEmail(db, portalEmails);
if (seeded) {
  console.log(
    [
      `The demo has already seeded ${shownDatabaseUrl(config.DATABASE_URL)} (its portal user ${seeded} is there).`,
      "Seed a database of its own, then start the gateway on it:",
      "  DATABASE_URL=file:./data/demo.db npm run demo",
      "  DATABASE_URL=file:./data/demo.db npm start",
      "Or delete the database file to seed it again.",
    ].join("\n"),
  );
  await close();
  process.exit(0);
}

const created = [];
for (const entry of coalition) {
  const { partner, credential, secret } = await createPartner(deps, { ...entry.partner, scopes: partnerScopes });
  const program = await createProgram(deps, {
    partnerId: partner.id,
    name: entry.program.name,
    pointName: entry.program.pointName,
    settlementCurrency: entry.program.settlementCurrency,
    issuePriceMicros: entry.program.issue,
    redeemPriceMicros: entry.program.redeem,
    pointsExpireAfterDays: entry.program.expireDays,
    reviewThresholdPoints: null,
  });
  for (const user of entry.users) await createPortalUser(deps, partner.id, { ...user, password: demoPassword });
  created.push({ partner, program, memberPrefix: entry.memberPrefix, clientId: credential.clientId, secret });
}

// Every partner may earn in every program (pays a little more than the owner) and burn in the others' programs.
for (const host of created) {
  for (const guest of created) {
    if (guest === host) continue;
    await createAgreement(deps, {
      programId: host.program.id,
      partnerId: guest.partner.id,
      canEarn: true,
      canBurn: true,
      issuePriceMicros: Math.floor((host.program.issuePriceMicros * 11) / 10),
      redeemPriceMicros: Math.floor((host.program.redeemPriceMicros * 9) / 10),
      earnPoints: 1,
      earnPerAmountMinor: 100,
    });
  }
}

// Transfer partners, as real coalitions publish them: hotel points and grocery points into airline miles,
// miles back into hotel points. [from, to, from_points, to_points, fee_bps]
const [airline, hotel, grocer] = created.map((entry) => entry.program.id);
const rates: [string | undefined, string | undefined, number, number, number][] = [
  [hotel, airline, 1_000, 600, 0],
  [grocer, airline, 3, 1, 100],
  [airline, hotel, 1_000, 1_500, 250],
];
for (const [from, to, fromPoints, toPoints, feeBps] of rates) {
  if (!from || !to) continue;
  await createRate(deps, {
    fromProgramId: from,
    toProgramId: to,
    fromPoints,
    toPoints,
    minPoints: 1_000,
    increment: 1_000,
    maxPointsPerDay: 100_000,
    feeBps,
    validUntil: null,
  });
}

const history = await seedMemberHistory(
  deps,
  created,
  created.map((entry) => entry.partner.id),
  120,
);

// Monthly settlement periods over the history, up to the start of this month, so the portal has statements.
const monthStart = (at: Date, offset = 0) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
const thisMonth = monthStart(new Date());
let periods = 0;
for (let start = monthStart(new Date(Date.now() - 120 * 86_400_000)); start < thisMonth; start = monthStart(start, 1)) {
  await closePeriod(deps, { start, end: monthStart(start, 1), closedBy: "demo" });
  periods++;
}

console.log(`Seeded the demo coalition into ${shownDatabaseUrl(config.DATABASE_URL)}:\n`);
for (const { partner, program, memberPrefix, clientId, secret } of created) {
  const members = [0, 1, 2].map((number) => memberExternalId(memberPrefix, number));
  console.log(`  ${partner.name} (${partner.id}) runs ${program.name} (${program.id})`);
  console.log(`    client_id=${clientId}\n    client_secret=${secret}`);
  console.log(`    members: ${members.join(", ")}, ... (GET /v1/programs/${program.id}/members/${members[0]})`);
}
console.log(`\n${history.members} members with ${history.transactions} transactions over the last 120 days.`);
console.log(`${periods} monthly settlement periods closed; the portal is at /portal/login.`);
console.log(
  `\nPortal users (password "${demoPassword}"): ${coalition.flatMap((c) => c.users.map((u) => u.email)).join(", ")}`,
);
// What the SDK's README example needs, as the hotel: its program, the airline's, and a member there.
const [airlineSeed, hotelSeed] = created;
if (airlineSeed && hotelSeed)
  console.log(
    [
      "\nThe SDK example of sdk/README.md, as the hotel:",
      `  GATEWAY_URL=${config.PUBLIC_URL} GATEWAY_CLIENT_ID=${hotelSeed.clientId} GATEWAY_CLIENT_SECRET=${hotelSeed.secret}`,
      `  HOTEL_PROGRAM_ID=${hotelSeed.program.id} AIRLINE_PROGRAM_ID=${airlineSeed.program.id}`,
      `  AIRLINE_MEMBER=${memberExternalId(airlineSeed.memberPrefix, 0)}`,
    ].join("\n"),
  );
if (operator)
  console.log(`\nOperator: OPERATOR_CLIENT_ID=${operator.clientId} OPERATOR_CLIENT_SECRET=${operator.secret}`);
if (process.env.DATABASE_URL)
  console.log(`\nStart the gateway on it: DATABASE_URL=${process.env.DATABASE_URL} npm start`);
await close();
