import type { SoakWorld } from "./soak-setup";

export const opKinds = ["earn", "burn", "reversal", "conversion", "redemption", "transfer"] as const;
export type OpKind = (typeof opKinds)[number];

/** Shares of the mix, in percent. */
const mix: Record<OpKind, number> = { earn: 32, burn: 16, reversal: 8, conversion: 14, redemption: 10, transfer: 20 };

/** One HTTP request of an op, sent with the op's key (a conversion's quote with a key of its own). */
export type OpRequest = { method: "POST"; path: string; body: unknown; key: string };

/**
 * One operation of the workload: who sends it and its requests (a conversion is a quote, then the conversion of the
 * quote the first answered). `key` is the Idempotency-Key of the request that moves points.
 */
export type Op = {
  index: number;
  kind: OpKind;
  key: string;
  partner: number;
  program: number;
  /** For a conversion: the quote; its answer's id goes into `request(quoteId)`. */
  quote?: OpRequest;
  request: (quoteId?: string) => OpRequest;
};

/** An earn or burn a partner made and had acknowledged: what a later reversal of that partner may reverse. */
export type Reversible = { id: string; points: number };

/** The acknowledged earns and burns of each partner, the latest few thousand, for reversals to pick from. */
export class ReversiblePool {
  private readonly rings: Reversible[][];
  private readonly next: number[];
  constructor(
    partners: number,
    private readonly size = 8192,
  ) {
    this.rings = Array.from({ length: partners }, () => []);
    this.next = Array.from({ length: partners }, () => 0);
  }
  add(partner: number, entry: Reversible) {
    const ring = this.rings[partner] as Reversible[];
    const at = this.next[partner] as number;
    ring[at % this.size] = entry;
    this.next[partner] = at + 1;
  }
  pick(partner: number, random: () => number): Reversible | undefined {
    const ring = this.rings[partner] as Reversible[];
    return ring[Math.floor(random() * ring.length)];
  }
}

const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

function pickKind(random: () => number): OpKind {
  let roll = random() * 100;
  for (const kind of opKinds) {
    roll -= mix[kind];
    if (roll < 0) return kind;
  }
  return "earn";
}

/**
 * The `index`-th op, drawn with `random`: its kind from the mix, then a partner, a program and members at random.
 * Amounts are such that most are accepted and a few are refused (a burn of 5,000 now and then, a reversal of an earn
 * already spent or reversed, a transfer of more than the sender has), which are fine outcomes too. A reversal with
 * nothing yet to reverse is an earn.
 */
export function planOp(index: number, seed: number, world: SoakWorld, pool: ReversiblePool, random: () => number): Op {
  const key = `soak-${seed}-${index}`;
  const partner = between(random, 0, world.partners.length - 1);
  const program = between(random, 0, world.programs.length - 1);
  const programId = (world.programs[program] as SoakWorld["programs"][number]).id;
  const member = world.externalId(between(random, 0, world.members - 1));
  const base = { index, key, partner, program };
  const post = (path: string, body: unknown): OpRequest => ({ method: "POST", path, body, key });
  let kind = pickKind(random);
  const target = kind === "reversal" ? pool.pick(partner, random) : undefined;
  if (kind === "reversal" && !target) kind = "earn";

  switch (kind) {
    case "earn": {
      // One in five earns by purchase, at the agreement's default rate (1 point per 100 minor units).
      const amount =
        random() < 0.2
          ? { purchase: { amount_minor: between(random, 1_000, 90_000), currency: "USD" } }
          : { points: between(random, 10, 900) };
      return {
        ...base,
        kind,
        request: () =>
          post("/v1/transactions/earn", { program_id: programId, external_id: member, ...amount, reference: key }),
      };
    }
    case "burn": {
      const points = random() < 0.05 ? 5_000 : between(random, 10, 600);
      return {
        ...base,
        kind,
        request: () =>
          post("/v1/transactions/burn", { program_id: programId, external_id: member, points, reference: key }),
      };
    }
    case "reversal": {
      const original = target as Reversible;
      const points = random() < 0.5 ? {} : { points: between(random, 1, original.points) };
      return {
        ...base,
        kind,
        request: () => post(`/v1/transactions/${original.id}/reversals`, { ...points, reason: key }),
      };
    }
    case "conversion": {
      const to = (world.programs[1 - program] as SoakWorld["programs"][number]).id;
      const quote: OpRequest = {
        method: "POST",
        path: "/v1/conversions/quotes",
        body: {
          from_program_id: programId,
          from_external_id: member,
          to_program_id: to,
          to_external_id: member,
          from_points: 100 * between(random, 1, 10),
        },
        key: `${key}-quote`,
      };
      return { ...base, kind, quote, request: (quoteId) => post("/v1/conversions", { quote_id: quoteId }) };
    }
    case "redemption": {
      const reward = (world.programs[program] as SoakWorld["programs"][number]).reward.id;
      const quantity = between(random, 1, 2);
      // The order's delivery name is its key: the checks find each order by it.
      const delivery = {
        name: key,
        address_lines: ["1 Soak Street"],
        city: "Lisbon",
        postal_code: "1000-001",
        country: "PT",
      };
      return {
        ...base,
        kind,
        request: () =>
          post("/v1/redemptions", {
            program_id: programId,
            external_id: member,
            reward_id: reward,
            quantity,
            delivery,
          }),
      };
    }
    case "transfer": {
      let to = world.externalId(between(random, 0, world.members - 2));
      if (to === member) to = world.externalId(world.members - 1);
      const points = between(random, 10, 700);
      return {
        ...base,
        kind,
        request: () =>
          post("/v1/transfers", {
            program_id: programId,
            from_external_id: member,
            to_external_id: to,
            points,
            reference: key,
          }),
      };
    }
  }
}
