import type { BenchGateway } from "./gateway";
import { externalId } from "./segments-population";

type Rule = unknown;
type Definition = { name: string; rule: Rule };

/**
 * The headline segment the count is timed on over HTTP: nested all/any/not over recency, RFM, balance, tier and
 * two attributes, the kind of rule a win-back campaign starts from.
 */
export const winBack: Definition = {
  name: "Win-back: lapsed or slipping, with points to spend",
  rule: {
    all: [
      {
        any: [
          { field: "days_since_last_earn", op: "gte", value: 60 },
          { field: "rfm.segment", op: "in", value: ["about_to_sleep", "at_risk", "cannot_lose", "hibernating"] },
        ],
      },
      { field: "balance.available", op: "gte", value: 500 },
      { not: { field: "tier", op: "eq", value: "blue" } },
      {
        any: [
          { field: "attributes.newsletter", op: "eq", value: true },
          { field: "attributes.channel", op: "eq", value: "app" },
        ],
      },
    ],
  },
};

/** Dynamic segments that reference no other segment. */
const dynamic: Definition[] = [
  { name: "Champions", rule: { field: "rfm.segment", op: "eq", value: "champions" } },
  {
    name: "Valuable and at risk",
    rule: {
      all: [
        { field: "rfm.segment", op: "in", value: ["at_risk", "cannot_lose"] },
        { field: "lifetime_earned", op: "gte", value: 2000 },
      ],
    },
  },
  { name: "Lapsed 90 days", rule: { field: "days_since_last_earn", op: "gt", value: 90 } },
  { name: "Never earned", rule: { field: "days_since_last_earn", op: "exists", value: false } },
  { name: "Joined in the last 30 days", rule: { field: "days_since_enrolment", op: "lte", value: 30 } },
  { name: "Gold and Platinum", rule: { field: "tier", op: "in", value: ["gold", "platinum"] } },
  {
    name: "Silver close to Gold",
    rule: {
      all: [
        { field: "tier", op: "eq", value: "silver" },
        { field: "lifetime_earned", op: "gte", value: 1500 },
      ],
    },
  },
  { name: "5,000 points or more to spend", rule: { field: "balance.available", op: "gte", value: 5000 } },
  { name: "VIP", rule: { field: "attributes.vip", op: "eq", value: true } },
  {
    name: "Families in Lisbon, Porto or Braga",
    rule: {
      all: [
        { field: "attributes.plan", op: "eq", value: "family" },
        { field: "attributes.city", op: "in", value: ["Lisbon", "Porto", "Braga"] },
      ],
    },
  },
  { name: "Frequent visitors", rule: { field: "attributes.visits", op: "gte", value: 20 } },
  {
    name: "Newsletter, not VIP",
    rule: {
      all: [
        { field: "attributes.newsletter", op: "eq", value: true },
        { not: { field: "attributes.vip", op: "eq", value: true } },
      ],
    },
  },
  { name: "Portuguese (Brazil)", rule: { field: "locale", op: "eq", value: "pt-BR" } },
  {
    name: "High spenders",
    rule: {
      any: [
        { field: "attributes.spend_avg", op: "gte", value: 150 },
        { field: "rfm.m", op: "eq", value: 5 },
      ],
    },
  },
  {
    name: "App users with no city",
    rule: {
      all: [
        { field: "attributes.channel", op: "eq", value: "app" },
        { field: "attributes.city", op: "exists", value: false },
      ],
    },
  },
  { name: "Student plans", rule: { field: "attributes.plan", op: "contains", value: "stud" } },
];

/** Members put on the static list (issue 17: a marketing list of 1,000), spread over the program. */
export const listSize = 1000;

export type CreatedSegment = { id: string; name: string; type: "dynamic" | "static"; member_count: number };

/**
 * Creates the 20 segments through the API: 16 plain dynamic ones, the win-back headline, one that references it
 * (inlined when compiled), the static list of `listSize` members added with one POST, and one that references the
 * list (its rows read). Answers each with how long its creation took (a dynamic one is counted in that write).
 */
export async function createSegments(gw: BenchGateway, token: string, programId: string, members: number) {
  const created: (CreatedSegment & { seconds: number })[] = [];
  const create = async (body: Record<string, unknown>) => {
    const started = performance.now();
    const segment = (await gw.call("POST", `/v1/programs/${programId}/segments`, { token, body })) as CreatedSegment;
    created.push({ ...segment, seconds: (performance.now() - started) / 1000 });
    return segment;
  };
  for (const definition of dynamic) await create({ type: "dynamic", ...definition });
  const headline = await create({ type: "dynamic", ...winBack });
  await create({
    type: "dynamic",
    name: "Win-back, rare visitors",
    rule: {
      all: [
        { field: "segment", op: "eq", value: headline.id },
        { field: "attributes.visits", op: "lt", value: 10 },
      ],
    },
  });
  const list = await create({ type: "static", name: "Store opening guests" });
  const step = Math.max(1, Math.floor(members / listSize));
  const externalIds = Array.from({ length: Math.min(listSize, members) }, (_, i) => externalId(i * step));
  const started = performance.now();
  const added = await gw.call("POST", `/v1/segments/${list.id}/members`, {
    token,
    body: { external_ids: externalIds },
  });
  const addSeconds = (performance.now() - started) / 1000;
  await create({
    type: "dynamic",
    name: "Guests who have not been back",
    rule: {
      all: [
        { field: "segment", op: "eq", value: list.id },
        { field: "days_since_last_earn", op: "gt", value: 30 },
      ],
    },
  });
  return { created, headlineId: headline.id, list: { id: list.id, added: added.added as number, addSeconds } };
}
