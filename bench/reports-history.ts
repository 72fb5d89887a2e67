import { ManualClock } from "../gateway/src/clock";
import { createIds } from "../gateway/src/ids";
import { seededRandom } from "./random";

/**
 * The journal history of the reports bench, played in time order as the gateway would have written it: members
 * earn by purchase (some with a promotion's bonus), burn, redeem catalogue rewards (some orders cancelled later),
 * convert between programs, transfer to each other, are adjusted both ways, have earns and burns reversed, and lose
 * points to a daily expiry job that counts FIFO exactly as the gateway's (db/queries/expiry.ts). Every row balances
 * (two legs), no member account goes below zero, reversals stay within what they reverse, and each row's
 * `balance_after` is its member's balance after it. Deterministic for a seed.
 */

const dayMs = 86_400_000;

/** A program of the history, as the setup created it through the API. */
export type HistoryProgram = {
  id: string;
  ownerId: string;
  /** Partners that earn and burn in it besides its owner. */
  partnerIds: string[];
  expireAfterDays: number | null;
  members: number;
  /** Share of the history's movements that happen in it. */
  weight: number;
  reward?: { id: string; pointsPrice: number };
  promotionId?: string;
};

/** One journal row with its two legs, as the loader writes it (`reversed_points` starts at 0). */
export type HistoryRow = {
  id: string;
  type: string;
  programId: string;
  memberId: string;
  partnerId: string;
  points: number;
  balanceAfter: number;
  reference: string | null;
  description: string | null;
  originalTransactionId: string | null;
  expiresAt: number | null;
  purchaseAmountMinor: number | null;
  purchaseCurrency: string | null;
  channel: string | null;
  storeId: string | null;
  reason: string | null;
  actor: string | null;
  bonusSource: string | null;
  bonusSourceId: string | null;
  parentTransactionId: string | null;
  createdAt: number;
  legs: [{ accountId: string; amount: number }, { accountId: string; amount: number }];
};

export type HistoryMember = { id: string; programId: string; externalId: string; createdAt: number };

export type HistoryRedemption = {
  id: string;
  programId: string;
  memberId: string;
  rewardId: string;
  partnerId: string;
  quantity: number;
  points: number;
  transactionId: string;
  createdAt: number;
};

/** Where the history goes: the loader writes each call as it comes, in order. */
export interface HistorySink {
  /** Every member, before any row. */
  members(members: readonly HistoryMember[]): void;
  row(row: HistoryRow): void;
  /** A later reversal took `points` of transaction `id` back (its `reversed_points`). */
  reversed(id: string, points: number): void;
  redemption(redemption: HistoryRedemption): void;
  cancelled(redemptionId: string, at: number): void;
}

/** An account's final balance, for the loader to write once the history is played. */
export type HistoryAccount = {
  id: string;
  programId: string;
  kind: string;
  memberId: string | null;
  partnerId: string | null;
  balance: number;
};

/** A credit that expires; `due` once the expiry job has counted it among the points due. */
type Lot = { expiresAt: number; points: number; due: boolean };
type Earn = { id: string; points: number; reversed: number; partnerId: string; lot: Lot | null; at: number };
type Burn = { id: string; points: number; partnerId: string; at: number };
type Order = { redemptionId: string; burn: Burn };
type Member = HistoryMember & {
  index: number;
  available: number;
  lifetimeEarned: number;
  /** Lots not due yet, soonest first. */
  lots: Lot[];
  /** The points of the lots due so far, net of their reversals. */
  due: number;
  consumed: number;
  lastBoundary: number;
  earns: Earn[];
  burn: Burn | null;
  order: Order | null;
};

/** The movements of a program and how often each is tried (a refused one, e.g. too few points, is an earn). */
const mix = [
  ["earn", 56],
  ["burn", 13],
  ["redeem", 4],
  ["convert", 3],
  ["transfer", 3],
  ["reverse_earn", 2],
  ["reverse_burn", 1],
  ["cancel_order", 0.5],
  ["adjust", 1],
] as const;
type Movement = (typeof mix)[number][0];
const mixTotal = mix.reduce((sum, [, weight]) => sum + weight, 0);

export type HistoryOptions = {
  programs: HistoryProgram[];
  /** Journal rows to write, exactly. */
  transactions: number;
  start: number;
  end: number;
  seed?: number;
};

/**
 * Plays the history into `sink`: first the members (enrolled over the span, a third before it), then the journal in
 * time order, `options.transactions` rows exactly. Answers the members and every account's final balance.
 */
export function playHistory(options: HistoryOptions, sink: HistorySink) {
  const next = seededRandom(options.seed ?? 20261201);
  const clock = new ManualClock(new Date(options.start));
  const ids = createIds(clock);
  const { start, end } = options;
  const accounts = new Map<string, HistoryAccount>();
  const account = (id: string, programId: string, kind: string, owner: { memberId?: string; partnerId?: string }) => {
    let found = accounts.get(id);
    if (!found) {
      found = { id, programId, kind, memberId: owner.memberId ?? null, partnerId: owner.partnerId ?? null, balance: 0 };
      accounts.set(id, found);
    }
    return found;
  };

  // Members enrol over the span (a third were there before it), oldest first, so at any moment the enrolled ones
  // are a prefix of the list.
  const membersOf = new Map<string, Member[]>();
  const allMembers: Member[] = [];
  for (const program of options.programs) {
    const times = Array.from({ length: program.members }, () =>
      next() < 1 / 3 ? start - next() * 365 * dayMs : start + next() * (end - start - dayMs),
    ).sort((a, b) => a - b);
    const members = times.map((createdAt, index) => {
      clock.set(new Date(createdAt));
      const member: Member = {
        id: ids("mem"),
        programId: program.id,
        externalId: `BENCH-${program.id.slice(-6)}-${index}`,
        createdAt,
        index,
        available: 0,
        lifetimeEarned: 0,
        lots: [],
        due: 0,
        consumed: 0,
        lastBoundary: 0,
        earns: [],
        burn: null,
        order: null,
      };
      account(member.id, program.id, "member", { memberId: member.id });
      account(`${member.id}:hold`, program.id, "member_hold", { memberId: member.id });
      return member;
    });
    membersOf.set(program.id, members);
    allMembers.push(...members);
  }
  sink.members(allMembers);

  let rows = 0;
  let now = start;
  const write = (row: Omit<HistoryRow, "id" | "createdAt" | "balanceAfter">, member: Member, id = ids("txn")) => {
    for (const leg of row.legs) {
      const found = accounts.get(leg.accountId);
      if (!found) throw new Error(`unknown account ${leg.accountId}`);
      found.balance += leg.amount;
    }
    member.available = accounts.get(member.id)?.balance ?? 0;
    if (member.available < 0) throw new Error(`member ${member.id} below zero`);
    sink.row({ ...row, id, createdAt: now, balanceAfter: member.available });
    rows += 1;
    return id;
  };
  const base = {
    reference: null,
    description: null,
    originalTransactionId: null,
    expiresAt: null,
    purchaseAmountMinor: null,
    purchaseCurrency: null,
    channel: null,
    storeId: null,
    reason: null,
    actor: null,
    bonusSource: null,
    bonusSourceId: null,
    parentTransactionId: null,
  };
  const programAccount = (program: HistoryProgram, kind: string, suffix: string, partnerId?: string) =>
    account(`${program.id}:${suffix}`, program.id, kind, { partnerId }).id;
  const issuance = (program: HistoryProgram) => programAccount(program, "issuance", "issuance");
  const redeemed = (program: HistoryProgram, partnerId: string) =>
    programAccount(program, "redeemed", `redeemed:${partnerId}`, partnerId);
  const expiresAt = (program: HistoryProgram) =>
    program.expireAfterDays === null ? null : now + program.expireAfterDays * dayMs;
  /** A lot to expire, queued for the daily expiry in the order lots were made (each program's expiry is fixed). */
  const expiryQueue = new Map<string, { head: number; lots: { at: number; member: Member }[] }>();
  const addLot = (program: HistoryProgram, member: Member, points: number): Lot | null => {
    const at = expiresAt(program);
    if (at === null) return null;
    const lot = { expiresAt: at, points, due: false };
    member.lots.push(lot);
    const queue = expiryQueue.get(program.id) ?? { head: 0, lots: [] };
    expiryQueue.set(program.id, queue);
    queue.lots.push({ at, member });
    return lot;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  /** An enrolled member, the oldest members the busiest; the enrolled ones are the prefix created by now. */
  const someMember = (program: HistoryProgram) => {
    const members = membersOf.get(program.id) ?? [];
    let low = 0;
    let high = members.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((members[mid] as Member).createdAt <= now) low = mid + 1;
      else high = mid;
    }
    return low === 0 ? undefined : members[Math.floor(low * next() ** 1.6)];
  };
  const partnerOf = (program: HistoryProgram) =>
    program.partnerIds.length > 0 && next() < 0.3 ? pick(program.partnerIds) : program.ownerId;

  function earn(program: HistoryProgram, member: Member, withBonus: boolean) {
    const amount = Math.max(100, Math.min(200_000, Math.round(Math.exp(Math.log(4_000) + 0.9 * gaussian()))));
    const points = Math.floor(amount / 100);
    const partnerId = partnerOf(program);
    const channel = pick(["store", "store", "web", "app"]);
    const id = write(
      {
        ...base,
        type: "earn",
        programId: program.id,
        memberId: member.id,
        partnerId,
        points,
        reference: `sale-${rows}`,
        expiresAt: expiresAt(program),
        purchaseAmountMinor: amount,
        purchaseCurrency: "USD",
        channel,
        storeId: channel === "store" ? `store-${1 + Math.floor(next() * 40)}` : null,
        legs: [
          { accountId: issuance(program), amount: -points },
          { accountId: member.id, amount: points },
        ],
      },
      member,
    );
    member.lifetimeEarned += points;
    const lot = addLot(program, member, points);
    member.earns.push({ id, points, reversed: 0, partnerId, lot, at: now });
    if (member.earns.length > 4) member.earns.shift();
    if (!withBonus || !program.promotionId) return;
    const bonus = Math.max(1, Math.floor(points / 5));
    write(
      {
        ...base,
        type: "bonus",
        programId: program.id,
        memberId: member.id,
        partnerId: program.ownerId,
        points: bonus,
        reference: `sale-${rows - 1}`,
        expiresAt: expiresAt(program),
        channel,
        bonusSource: "promotion",
        bonusSourceId: program.promotionId,
        parentTransactionId: id,
        legs: [
          { accountId: issuance(program), amount: -bonus },
          { accountId: member.id, amount: bonus },
        ],
      },
      member,
    );
    addLot(program, member, bonus);
    // Its earn now has a bonus: reversing it would take the bonus back too, which this history does not play.
    member.earns.pop();
  }

  function burn(program: HistoryProgram, member: Member): boolean {
    if (member.available < 100) return false;
    const points = Math.min(member.available, 100 + Math.floor(next() * 1_400));
    const partnerId = partnerOf(program);
    const id = write(
      {
        ...base,
        type: "burn",
        programId: program.id,
        memberId: member.id,
        partnerId,
        points,
        reference: `burn-${rows}`,
        legs: [
          { accountId: member.id, amount: -points },
          { accountId: redeemed(program, partnerId), amount: points },
        ],
      },
      member,
    );
    member.consumed += points;
    member.burn = { id, points, partnerId, at: now };
    return true;
  }

  function redeem(program: HistoryProgram, member: Member): boolean {
    const reward = program.reward;
    if (!reward) return false;
    const quantity = next() < 0.8 ? 1 : 2;
    const points = reward.pointsPrice * quantity;
    if (member.available < points) return false;
    const redemptionId = ids("rdm");
    const id = write(
      {
        ...base,
        type: "burn",
        programId: program.id,
        memberId: member.id,
        partnerId: program.ownerId,
        points,
        reference: redemptionId,
        description: "Bench reward",
        legs: [
          { accountId: member.id, amount: -points },
          { accountId: redeemed(program, program.ownerId), amount: points },
        ],
      },
      member,
    );
    member.consumed += points;
    sink.redemption({
      id: redemptionId,
      programId: program.id,
      memberId: member.id,
      rewardId: reward.id,
      partnerId: program.ownerId,
      quantity,
      points,
      transactionId: id,
      createdAt: now,
    });
    member.order = { redemptionId, burn: { id, points, partnerId: program.ownerId, at: now } };
    return true;
  }

  /** A reversal of `points` of `original`, its legs the opposite of the original's. */
  function reversal(
    program: HistoryProgram,
    member: Member,
    original: { id: string; partnerId: string },
    points: number,
    legs: HistoryRow["legs"],
    reference: string | null,
  ) {
    write(
      {
        ...base,
        type: "reversal",
        programId: program.id,
        memberId: member.id,
        partnerId: original.partnerId,
        points,
        reference,
        originalTransactionId: original.id,
        legs,
      },
      member,
    );
    sink.reversed(original.id, points);
  }

  function reverseEarn(program: HistoryProgram, member: Member): boolean {
    const earn = member.earns.find((e) => e.reversed < e.points && now - e.at < 30 * dayMs);
    if (!earn) return false;
    const left = earn.points - earn.reversed;
    const points = next() < 0.7 ? left : 1 + Math.floor(next() * left);
    if (member.available < points) return false;
    reversal(
      program,
      member,
      earn,
      points,
      [
        { accountId: member.id, amount: -points },
        { accountId: issuance(program), amount: points },
      ],
      null,
    );
    earn.reversed += points;
    member.lifetimeEarned -= points;
    if (earn.lot) {
      earn.lot.points -= points;
      if (earn.lot.due) member.due -= points;
    }
    return true;
  }

  function reverseBurn(program: HistoryProgram, member: Member): boolean {
    const burn = member.burn;
    if (!burn || now - burn.at > 30 * dayMs) return false;
    member.burn = null;
    reversal(
      program,
      member,
      burn,
      burn.points,
      [
        { accountId: member.id, amount: burn.points },
        { accountId: redeemed(program, burn.partnerId), amount: -burn.points },
      ],
      null,
    );
    member.consumed -= burn.points;
    return true;
  }

  function cancelOrder(program: HistoryProgram, member: Member): boolean {
    const order = member.order;
    if (!order || now - order.burn.at > 14 * dayMs) return false;
    member.order = null;
    const { burn } = order;
    reversal(
      program,
      member,
      burn,
      burn.points,
      [
        { accountId: redeemed(program, burn.partnerId), amount: -burn.points },
        { accountId: member.id, amount: burn.points },
      ],
      order.redemptionId,
    );
    sink.cancelled(order.redemptionId, now);
    member.consumed -= burn.points;
    return true;
  }

  function convert(program: HistoryProgram, member: Member): boolean {
    const blocks = Math.floor(member.available / 500);
    const destination = pick(options.programs.filter((p) => p.id !== program.id));
    const receiver = destination && someMember(destination);
    if (blocks < 1 || !receiver) return false;
    const fromPoints = 500 * (1 + Math.floor(next() * Math.min(blocks, 4)));
    const toPoints = (fromPoints / 500) * 300;
    const conversionId = ids("cnv");
    const common = { ...base, partnerId: program.ownerId, reference: conversionId };
    write(
      {
        ...common,
        type: "conversion_out",
        programId: program.id,
        memberId: member.id,
        points: fromPoints,
        legs: [
          { accountId: member.id, amount: -fromPoints },
          { accountId: programAccount(program, "conversion", "conversions_out"), amount: fromPoints },
        ],
      },
      member,
    );
    member.consumed += fromPoints;
    write(
      {
        ...common,
        type: "conversion_in",
        programId: destination.id,
        memberId: receiver.id,
        points: toPoints,
        expiresAt: expiresAt(destination),
        legs: [
          { accountId: programAccount(destination, "conversion", "conversions_in"), amount: -toPoints },
          { accountId: receiver.id, amount: toPoints },
        ],
      },
      receiver,
    );
    addLot(destination, receiver, toPoints);
    return true;
  }

  function transfer(program: HistoryProgram, member: Member): boolean {
    const receiver = someMember(program);
    if (member.available < 50 || !receiver || receiver === member) return false;
    const points = Math.min(member.available, 50 + Math.floor(next() * 450));
    const fees = programAccount(program, "transfer_fees", "transfer_fees");
    const reference = `gift-${rows}`;
    const common = { ...base, programId: program.id, partnerId: program.ownerId, reference, points };
    write(
      {
        ...common,
        type: "transfer_out",
        memberId: member.id,
        legs: [
          { accountId: member.id, amount: -points },
          { accountId: fees, amount: points },
        ],
      },
      member,
    );
    member.consumed += points;
    write(
      {
        ...common,
        type: "transfer_in",
        memberId: receiver.id,
        expiresAt: expiresAt(program),
        legs: [
          { accountId: fees, amount: -points },
          { accountId: receiver.id, amount: points },
        ],
      },
      receiver,
    );
    addLot(program, receiver, points);
    return true;
  }

  function adjust(program: HistoryProgram, member: Member): boolean {
    const credit = next() < 0.7 || member.available < 10;
    const points = credit ? 10 + Math.floor(next() * 490) : Math.min(member.available, 10 + Math.floor(next() * 90));
    write(
      {
        ...base,
        type: "adjustment",
        programId: program.id,
        memberId: member.id,
        partnerId: program.ownerId,
        points,
        reason: credit ? "Goodwill: delayed delivery" : "Correction: duplicate purchase",
        actor: "bench",
        expiresAt: credit ? expiresAt(program) : null,
        legs: credit
          ? [
              { accountId: issuance(program), amount: -points },
              { accountId: member.id, amount: points },
            ]
          : [
              { accountId: member.id, amount: -points },
              { accountId: issuance(program), amount: points },
            ],
      },
      member,
    );
    if (credit) addLot(program, member, points);
    else member.consumed += points;
    return true;
  }

  /**
   * The daily expiry job, as db/queries/expiry.ts counts: for each member with a lot due, the points due by now
   * minus everything consumed (earlier expiries included) expire, through the latest due lot (the boundary).
   */
  function expire(limit: number) {
    for (const program of options.programs) {
      const queue = expiryQueue.get(program.id) ?? { head: 0, lots: [] };
      const due = new Set<Member>();
      for (let lot = queue.lots[queue.head]; lot && lot.at <= now; lot = queue.lots[++queue.head]) due.add(lot.member);
      if (queue.head > 100_000) {
        queue.lots = queue.lots.slice(queue.head);
        queue.head = 0;
      }
      for (const member of due) {
        if (rows >= limit) return;
        let boundary = member.lastBoundary;
        for (let lot = member.lots[0]; lot && lot.expiresAt <= now; lot = member.lots[0]) {
          member.lots.shift();
          lot.due = true;
          member.due += lot.points;
          boundary = lot.expiresAt;
        }
        const points = member.due - member.consumed;
        if (points <= 0 || boundary === member.lastBoundary) continue;
        write(
          {
            ...base,
            type: "expiry",
            programId: program.id,
            memberId: member.id,
            partnerId: program.ownerId,
            points,
            description: "Points expired",
            expiresAt: boundary,
            legs: [
              { accountId: member.id, amount: -points },
              { accountId: programAccount(program, "expired", "expired"), amount: points },
            ],
          },
          member,
        );
        member.consumed += points;
        member.lastBoundary = boundary;
      }
    }
  }

  function gaussian() {
    return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  }

  function movement(): Movement {
    let draw = next() * mixTotal;
    for (const [name, weight] of mix) {
      draw -= weight;
      if (draw < 0) return name;
    }
    return "earn";
  }

  const weights = options.programs.reduce((sum, program) => sum + program.weight, 0);
  const someProgram = () => {
    let draw = next() * weights;
    for (const program of options.programs) {
      draw -= program.weight;
      if (draw < 0) return program;
    }
    return options.programs[0] as HistoryProgram;
  };

  // The expiry job runs at 03:00 UTC every day; movements come in between, spread so that the last row lands at the
  // end of the span whatever the mix turns out to write per movement.
  let nextExpiry = Math.floor(start / dayMs) * dayMs + 3 * 3_600_000;
  if (nextExpiry < start) nextExpiry += dayMs;
  let movements = 0;
  while (rows < options.transactions) {
    const left = options.transactions - rows;
    const rowsPerMovement = movements === 0 ? 1.1 : rows / movements;
    const gap = Math.max(0, (end - now) / Math.max(1, left / rowsPerMovement));
    const at = Math.min(end, now + gap * -Math.log(1 - next()));
    while (nextExpiry <= at && rows < options.transactions) {
      now = nextExpiry;
      clock.set(new Date(now));
      expire(options.transactions);
      nextExpiry += dayMs;
    }
    if (rows >= options.transactions) break;
    now = Math.max(now, at);
    clock.set(new Date(now));
    const program = someProgram();
    const member = someMember(program);
    if (!member) continue;
    movements += 1;
    const kind = left < 3 ? "earn" : movement();
    const done =
      (kind === "burn" && burn(program, member)) ||
      (kind === "redeem" && redeem(program, member)) ||
      (kind === "convert" && convert(program, member)) ||
      (kind === "transfer" && transfer(program, member)) ||
      (kind === "reverse_earn" && reverseEarn(program, member)) ||
      (kind === "reverse_burn" && reverseBurn(program, member)) ||
      (kind === "cancel_order" && cancelOrder(program, member)) ||
      (kind === "adjust" && adjust(program, member));
    if (!done) earn(program, member, left >= 3 && next() < 0.15);
  }
  return {
    rows,
    accounts: [...accounts.values()],
    lifetimeEarned: new Map(allMembers.map((member) => [member.id, member.lifetimeEarned])),
  };
}
