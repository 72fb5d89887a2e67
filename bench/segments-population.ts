import { memberAccess, programAccess } from "../gateway/src/domain/access";
import { earn } from "../gateway/src/domain/ledger/earn";
import { enrolMember } from "../gateway/src/domain/members";
import { toMember } from "../gateway/src/routes/members/schemas";
import type { BenchGateway } from "./gateway";
import type { OffsetClock } from "./offset-clock";
import { seededRandom } from "./random";
import { benchTierTable } from "./tiers";

/**
 * The segments bench's program (issue 17): `members` members enrolled over 390 days, with varied attributes
 * (strings, numbers, booleans, some missing), the four tiers of bench/tiers.ts, earns for three in four of them
 * dated from the day after their enrolment to the 400th day by moving the gateway's clock, and an RFM scoring.
 * The same seed gives the same population.
 */

const dayMs = 86_400_000;
/** Members enrol over the first `enrolDays` of the history, so some are new at its end; earns run to its end. */
export const historyDays = 400;
const enrolDays = 390;

const cities = ["Lisbon", "Porto", "Braga", "Faro", "Coimbra", "Madrid", "Seville", "Valencia", "Sao Paulo"];
const plans = ["basic", "basic", "basic", "plus", "plus", "family", "student", "senior"];
const channels = ["app", "app", "web", "store"];
const locales = ["en", "en", "pt-BR", "pt-BR", "es", "ru"];

export type Enrolment = {
  external_id: string;
  name: string;
  email?: string;
  locale?: string;
  attributes: Record<string, string | number | boolean>;
};

/** The history: who enrols on which day, and which earns (member index, points) land on which day. */
export function population(members: number) {
  const next = seededRandom(17);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const enrolments: Enrolment[] = [];
  const enrolsOn: number[][] = Array.from({ length: historyDays }, () => []);
  const earnsOn: { member: number; points: number }[][] = Array.from({ length: historyDays }, () => []);
  let earns = 0;
  for (let i = 0; i < members; i++) {
    const attributes: Enrolment["attributes"] = {
      plan: pick(plans),
      visits: Math.floor(next() * next() * 80),
      spend_avg: Math.round(next() * next() * 30_000) / 100,
      newsletter: next() < 0.45,
      channel: pick(channels),
    };
    // Some facts are missing, as real data has them: conditions on them are false for these members.
    if (next() < 0.8) attributes.city = pick(cities);
    if (next() < 0.05) attributes.vip = true;
    else if (next() < 0.3) attributes.vip = false;
    const enrolment: Enrolment = { external_id: externalId(i), name: `Member ${i}`, attributes };
    if (next() < 0.85) enrolment.email = `member${i}@example.com`;
    if (next() < 0.9) enrolment.locale = pick(locales);
    enrolments.push(enrolment);
    const enrolDay = Math.floor((i * enrolDays) / members);
    enrolsOn[enrolDay]?.push(i);
    if (next() >= 0.75) continue;
    const count = 1 + Math.min(7, Math.floor(-Math.log(1 - next()) * 1.5));
    for (let k = 0; k < count; k++) {
      const day = enrolDay + 1 + Math.floor(next() * (historyDays - enrolDay - 1));
      // 20 to 8,000 points, most of them small (log-uniform), so the tiers fill from blue up.
      const points = Math.round(20 * 400 ** next());
      earnsOn[day]?.push({ member: i, points });
      earns += 1;
    }
  }
  return { enrolments, enrolsOn, earnsOn, earns };
}

export const externalId = (index: number) => `SEG-${index}`;

/** Writes in flight while seeding, as the main bench seeds: group commit always has a batch waiting. */
const width = 64;

/** Runs `task` over 0..count-1 with `width` always in flight (no batch waits for its slowest request). */
async function pool(count: number, inFlight: number, task: (index: number) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
}

/** How the history is written: through the API, or the gateway's own domain functions in this process. */
export type SeedPath = "api" | "domain";

/** Writes the history's two kinds of event: an enrolment, an earn of `points` to member index `member`. */
type Seeder = {
  enrol(enrolment: Enrolment): Promise<unknown>;
  earn(member: number, points: number, key: string): Promise<unknown>;
};

/** The requests a partner sends (POST .../members, POST /v1/transactions/earn), in process without a socket. */
function apiSeeder(gw: BenchGateway, programId: string, token: () => string): Seeder {
  return {
    enrol: (body) => gw.call("POST", `/v1/programs/${programId}/members`, { token: token(), body }),
    earn: (member, points, key) =>
      gw.call("POST", "/v1/transactions/earn", {
        token: token(),
        key,
        body: { program_id: programId, external_id: externalId(member), points, reference: key },
      }),
  };
}

/**
 * What those routes call once they have parsed and authorised the request: programAccess and enrolMember,
 * memberAccess and earn. The same atomic writes (member, accounts, events; earn, tier bonus and move), without
 * HTTP, token checks, validation and idempotency records.
 */
function domainSeeder(gw: BenchGateway, programId: string, partnerId: string): Seeder {
  const { deps } = gw;
  return {
    async enrol(enrolment) {
      const { program } = await programAccess(deps.reader, programId, partnerId, deps.clock.now());
      return enrolMember(
        deps,
        {
          program,
          partnerId,
          externalId: enrolment.external_id,
          email: enrolment.email,
          name: enrolment.name,
          locale: enrolment.locale,
          attributes: enrolment.attributes,
        },
        toMember,
      );
    },
    async earn(member, points, key) {
      const access = await memberAccess(
        deps.reader,
        programId,
        externalId(member),
        partnerId,
        deps.clock.now(),
        "earn",
      );
      return earn(deps, { access, partnerId, points, reference: key, channel: null, storeId: null });
    },
  };
}

/**
 * Onboards a partner and its tiered program through the API, then plays the history day by day: the clock moved
 * to the day, that day's enrolments, then its earns, `width` in flight, by `path`. Ends at the history's end and
 * scores RFM there (POST .../rfm/recompute).
 */
export async function seedPopulation(
  gw: BenchGateway,
  clock: OffsetClock,
  input: { start: Date; members: number; path: SeedPath },
  progress: (message: string) => void,
) {
  const { start, members } = input;
  const operatorToken = await gw.operatorToken();
  const partner = await gw.call("POST", "/v1/partners", {
    token: operatorToken,
    body: { name: "Segments Bench Partner", contact_email: "segments@partner.example" },
  });
  await gw.call("PATCH", `/v1/partners/${partner.id}`, {
    token: operatorToken,
    body: { requests_per_minute: 1_000_000 },
  });
  const { client_id, client_secret } = partner.credentials as { client_id: string; client_secret: string };
  const partnerToken = () => gw.token(client_id, client_secret);
  const program = await gw.call("POST", "/v1/programs", {
    token: operatorToken,
    body: {
      partner_id: partner.id,
      name: "Segments Bench Miles",
      point_name: "mile",
      settlement_currency: "USD",
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
    },
  });
  const programId = program.id as string;
  let token = await partnerToken();
  await gw.call("PUT", `/v1/programs/${programId}/tiers`, { token, body: benchTierTable });
  const seeder =
    input.path === "api" ? apiSeeder(gw, programId, () => token) : domainSeeder(gw, programId, partner.id as string);

  const history = population(members);
  const timings = { historySeconds: 0, rfmSeconds: 0, earns: history.earns };
  const since = (started: number) => (performance.now() - started) / 1000;
  for (let day = 0; day < historyDays; day++) {
    clock.moveTo(new Date(start.getTime() + day * dayMs));
    // Tokens age with the clock: a fresh one every simulated day.
    if (input.path === "api") token = await partnerToken();
    const enrols = history.enrolsOn[day] ?? [];
    const earns = history.earnsOn[day] ?? [];
    const started = performance.now();
    await pool(enrols.length, width, (k) => seeder.enrol(history.enrolments[enrols[k] as number] as Enrolment));
    await pool(earns.length, width, (k) => {
      const { member, points } = earns[k] as { member: number; points: number };
      return seeder.earn(member, points, `seed-${day}-${k}`);
    });
    timings.historySeconds += since(started);
    if (day % 50 === 49)
      progress(`day ${day + 1}/${historyDays} of the history: ${timings.historySeconds.toFixed(1)} s so far`);
  }
  clock.moveTo(new Date(start.getTime() + historyDays * dayMs));
  token = await partnerToken();
  const scoring = performance.now();
  const rfm = await gw.call("POST", `/v1/programs/${programId}/rfm/recompute`, { token });
  timings.rfmSeconds = since(scoring);
  return { programId, partnerId: partner.id as string, partnerToken, timings, rfm: rfm as RfmSummary };
}

export type RfmSummary = { members_scored: number; segments: { segment: string; members: number }[] };
