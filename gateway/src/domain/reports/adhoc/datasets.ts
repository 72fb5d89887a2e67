import { membersDataset } from "../../../db/queries/adhoc-members";
import { redemptionsDataset } from "../../../db/queries/adhoc-redemptions";
import type { AdhocDataset, Bucket } from "../../../db/queries/adhoc-run";
import { touchpointsDataset } from "../../../db/queries/adhoc-touchpoints";
import { transactionsDataset } from "../../../db/queries/adhoc-transactions";
import { type DatasetName, datasetNames } from "../../../db/queries/report-definitions";

export { type DatasetName, datasetNames };

/**
 * What ad-hoc reports offer, dataset by dataset: each dimension, measure and filter field with what it means (the
 * API documents these words; the types make every name the SQL module offers documented here, and nothing else).
 * The time dimensions are local to the program's zone and read as their bucket's first day (YYYY-MM-DD): the day,
 * the Monday of the ISO week, the first of the month.
 */
export type Catalogue<D extends AdhocDataset> = {
  query: D;
  description: string;
  dimensions: Record<keyof D["dimensions"] & string, string>;
  measures: Record<keyof D["measures"] & string, string>;
  filters: Record<keyof D["filters"] & string, string>;
  /** The time dimension each `interval` adds. */
  intervals: Record<Bucket, keyof D["dimensions"] & string>;
};

/** What the day, week and month dimensions of `what` (a dataset's event) read. */
const timeDescriptions = (what: string) => ({
  day: `${what}'s local day in the program's zone (YYYY-MM-DD)`,
  week: `${what}'s ISO week in the program's zone, as its Monday (YYYY-MM-DD)`,
  month: `${what}'s month in the program's zone, as its first day (YYYY-MM-DD)`,
});

/** Where `interval` adds the time dimensions of the same names. */
const sameIntervals = { day: "day", week: "week", month: "month" } as const;

const transactions: Catalogue<typeof transactionsDataset> = {
  query: transactionsDataset,
  description:
    "The journal: a row per movement (earn, burn, reversal, bonus, expiry, conversion and transfer legs, holds, " +
    "releases, adjustments), at its created_at. Points are as recorded (always positive): group or filter by type.",
  dimensions: {
    type: "the movement's type (earn, burn, reversal, bonus, expiry, ...)",
    channel: "where it happened, as the partner said (store, web, app, call_center, partner, other; null if not said)",
    store_id: "the store the partner named (null if none)",
    partner_id: "the partner that made the movement",
    purchase_currency: "the currency of the purchase an earn was for (null for others)",
    tier: "the member's tier now (its key; null without tiers)",
    ...timeDescriptions("the movement"),
  },
  measures: {
    count: "how many movements",
    points: "the sum of their points as recorded",
    members: "how many distinct members they concern",
    purchase_amount_minor: "the sum of the purchase amounts of earns, in minor units (group by purchase_currency)",
  },
  filters: {
    type: "the movement's type",
    channel: "where it happened",
    store_id: "the store",
    partner_id: "the partner that made it",
    points: "its points (a whole number)",
    purchase_amount_minor: "the purchase amount of an earn, in minor units",
    purchase_currency: "the purchase's currency",
  },
  intervals: sameIntervals,
};

const enrolment = timeDescriptions("the member's enrolment");

const members: Catalogue<typeof membersDataset> = {
  query: membersDataset,
  description: "The program's members as they are now, a row each, at their enrolment (created_at).",
  dimensions: {
    tier: "the member's tier now (its key; null without tiers)",
    locale: "the member's locale (null if none)",
    rfm_segment: "the member's RFM segment as last scored (null if not scored)",
    enrolled_day: enrolment.day,
    enrolled_week: enrolment.week,
    enrolled_month: enrolment.month,
  },
  measures: {
    count: "how many members",
    balance: "the sum of their available points now",
    lifetime_earned: "the sum of the points they ever earned, net of reversed earns",
  },
  filters: {},
  intervals: { day: "enrolled_day", week: "enrolled_week", month: "enrolled_month" },
};

const redemptions: Catalogue<typeof redemptionsDataset> = {
  query: redemptionsDataset,
  description: "Catalogue orders, a row each, at their placing (created_at), in the status they have now.",
  dimensions: {
    reward_id: "the reward ordered",
    status: "the order's status now (held, pending, fulfilled, cancelled, returned, rejected)",
    partner_id: "the partner that placed the order",
    fulfilling_partner_id: "the partner that fulfils it",
    tier: "the member's tier now (its key; null without tiers)",
    ...timeDescriptions("the order"),
  },
  measures: {
    count: "how many orders",
    quantity: "the sum of the units ordered",
    points: "the sum of the points the orders cost (price times quantity)",
    members: "how many distinct members ordered",
  },
  filters: {
    reward_id: "the reward ordered",
    status: "the order's status now",
    partner_id: "the partner that placed it",
    fulfilling_partner_id: "the partner that fulfils it",
    quantity: "the units ordered",
    points: "the points it cost",
  },
  intervals: sameIntervals,
};

const touchpoints: Catalogue<typeof touchpointsDataset> = {
  query: touchpointsDataset,
  description: "Contacts with members (calls, emails, visits), a row each, at when they happened (occurred_at).",
  dimensions: {
    channel: "the contact's channel",
    reason: "why the contact happened",
    direction: "inbound or outbound",
    agent: "who handled it, as recorded (null if not said)",
    recorded_by: "the partner that recorded it",
    tier: "the member's tier now (its key; null without tiers)",
    ...timeDescriptions("the contact"),
  },
  measures: {
    count: "how many contacts",
    rated: "how many of them the member rated",
    mean_rating: "the mean of their ratings, unrounded (null when none was rated)",
    members: "how many distinct members they concern",
  },
  filters: {
    channel: "the contact's channel",
    reason: "why it happened",
    direction: "inbound or outbound",
    rating: "its rating, 1 to 5",
    agent: "who handled it",
    recorded_by: "the partner that recorded it",
  },
  intervals: sameIntervals,
};

/** A dataset's catalogue as code taking any dataset reads it. */
export type AnyCatalogue = {
  query: AdhocDataset;
  description: string;
  dimensions: Readonly<Record<string, string>>;
  measures: Readonly<Record<string, string>>;
  filters: Readonly<Record<string, string>>;
  intervals: Readonly<Record<Bucket, string>>;
};

/** Every dataset an ad-hoc report may read, by its name in the API. */
export const datasets = { transactions, members, redemptions, touchpoints } satisfies Record<DatasetName, AnyCatalogue>;

/** The names of a dataset's dimensions and measures as a non-empty list (a zod enum's shape). */
export const namesOf = <K extends string>(record: Record<K, string>) => Object.keys(record) as [K, ...K[]];
