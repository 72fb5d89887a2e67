import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../gateway/src/auth/secrets";
import { lineAmountMinor } from "../../gateway/src/domain/settlement/money";
import { runScheduledJobs } from "../../gateway/src/jobs";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, newKey } from "../support/ledger";

/**
 * Statements against the journal on random workloads: an airline and a hotel (USD) and a grocer (EUR, with
 * expiring points), each earning and burning in the others' programs at prices of their own, reversing,
 * converting hotel points to miles, adjusting its own members (credits and debits) and letting points expire.
 * The airline and the grocer have tiers, so earns there pay the owner's bonuses and reversals take them back.
 * Each run closes the next period; its statements must add up to exactly what the journal says for that period.
 */
const DAY = 86_400_000;

type Partner = { id: string; clientId: string; secret: string };
type Program = { id: string; owner: Partner; members: string[] };

let gw: TestGateway;
let partners: Partner[];
let programs: Program[];
let lastEnd: string;

async function tokenOf(partner: Partner) {
  return gw.token(partner.clientId, partner.secret);
}

beforeAll(async () => {
  gw = await createTestGateway();
  lastEnd = new Date(gw.clock.now().getTime() - 1000).toISOString();
  const operator = await gw.operatorToken();
  partners = [];
  for (const name of ["SkyWays", "Harbor Hotels", "FreshMart"]) {
    const onboarded = await gw.onboardPartner({ name });
    partners.push({ id: onboarded.partner.id, clientId: onboarded.clientId, secret: onboarded.secret });
  }
  const specs = [
    { name: "SkyWays Miles", currency: "USD", issue: 12_345, redeem: 9_870, expire: null },
    { name: "Harbor Points", currency: "USD", issue: 7_777, redeem: 5_555, expire: null },
    { name: "FreshMart Stars", currency: "EUR", issue: 3_333, redeem: 2_501, expire: 1 },
  ];
  programs = [];
  for (const [index, spec] of specs.entries()) {
    const owner = partners[index] as Partner;
    const created = await gw.call("POST", "/v1/programs", {
      token: operator,
      body: {
        partner_id: owner.id,
        name: spec.name,
        point_name: "point",
        settlement_currency: spec.currency,
        issue_price_micros: spec.issue,
        redeem_price_micros: spec.redeem,
        ...(spec.expire && { points_expire_after_days: spec.expire }),
      },
    });
    programs.push({ id: created.body.id, owner, members: [] });
  }
  // Gold from 100 points: half again as a bonus on every later earn, and 250 points on reaching it.
  for (const program of [programs[0], programs[2]] as Program[]) {
    const put = await gw.call("PUT", `/v1/programs/${program.id}/tiers`, {
      token: await tokenOf(program.owner),
      body: {
        tiers: [
          { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
          { key: "gold", name: "Gold", min_points: 100, earn_bonus_bps: 5000, upgrade_bonus_points: 250 },
        ],
      },
    });
    expect(put.status).toBe(200);
  }
  // Every partner may earn and burn in every program, at prices of its own.
  for (const [p, program] of programs.entries())
    for (const [q, partner] of partners.entries())
      if (partner.id !== program.owner.id)
        await gw.call("POST", `/v1/programs/${program.id}/agreements`, {
          token: operator,
          body: {
            partner_id: partner.id,
            can_earn: true,
            can_burn: true,
            issue_price_micros: 10_001 + 1_000 * p + 137 * q,
            redeem_price_micros: 8_003 + 1_000 * p + 91 * q,
          },
        });
  await gw.call("POST", "/v1/conversion-rates", {
    token: operator,
    body: {
      from_program_id: programs[1]?.id,
      to_program_id: programs[0]?.id,
      from_points: 3,
      to_points: 1,
      min_points: 3,
      increment: 3,
      fee_bps: 150,
    },
  });
  for (const program of programs)
    for (let m = 0; m < 3; m++) {
      const externalId = `M-${m}`;
      await gw.call("POST", `/v1/programs/${program.id}/members`, {
        token: await tokenOf(program.owner),
        body: { external_id: externalId },
      });
      program.members.push(externalId);
    }
  for (let m = 0; m < 3; m++)
    await gw.call("POST", `/v1/programs/${programs[0]?.id}/members`, {
      token: await tokenOf(partners[0] as Partner),
      body: { external_id: `F-${m}` },
    });
});
afterAll(async () => {
  await expectLedgerInvariants(gw);
  await gw.close();
});

const operation = fc.oneof(
  fc.record({
    kind: fc.constant("earn" as const),
    partner: fc.nat(2),
    program: fc.nat(2),
    member: fc.nat(2),
    points: fc.integer({ min: 1, max: 5_000 }),
  }),
  fc.record({
    kind: fc.constant("burn" as const),
    partner: fc.nat(2),
    program: fc.nat(2),
    member: fc.nat(2),
    points: fc.integer({ min: 1, max: 800 }),
  }),
  fc.record({ kind: fc.constant("reverse" as const), back: fc.nat(5), points: fc.integer({ min: 1, max: 3_000 }) }),
  // Reverses one of the last earns that paid a tier bonus, which takes part of the bonus back too.
  fc.record({
    kind: fc.constant("reverse_bonused" as const),
    back: fc.nat(3),
    points: fc.integer({ min: 1, max: 3_000 }),
  }),
  fc.record({ kind: fc.constant("convert" as const), member: fc.nat(2), points: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant("expire" as const) }),
  fc.record({
    kind: fc.constant("adjust" as const),
    program: fc.nat(2),
    member: fc.nat(2),
    points: fc.integer({ min: -800, max: 3_000 }).filter((points) => points !== 0),
  }),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

type Line = {
  kind: string;
  direction: string;
  counterparty: { id: string } | null;
  program: { id: string };
  points: number;
  price_micros: number;
  amount_minor: number;
};
type Statement = {
  id: string;
  partner: { id: string };
  currency: string;
  lines: Line[];
  totals: { receivable_minor: number; payable_minor: number; memo_minor: number; net_amount_minor: number };
  content_hash: string;
};

async function run(operations: Operation[]) {
  const moved: string[] = [];
  const bonused: string[] = [];
  for (const op of operations) {
    if (op.kind === "earn" || op.kind === "burn") {
      const program = programs[op.program] as Program;
      const response = await gw.call("POST", `/v1/transactions/${op.kind}`, {
        token: await tokenOf(partners[op.partner] as Partner),
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: program.id, external_id: program.members[op.member], points: op.points, reference: "r" },
      });
      if (response.status === 201) moved.push(response.body.id);
      if (response.status === 201 && response.body.bonuses?.some((b: { source: string }) => b.source === "tier"))
        bonused.push(response.body.id);
    } else if (op.kind === "reverse" || op.kind === "reverse_bonused") {
      const id = (op.kind === "reverse" ? moved : bonused).at(-1 - op.back);
      if (!id) continue;
      const original = await gw.deps.reader.all<{ partner_id: string }>(
        "select partner_id from ledger_transactions where id = ?",
        [id],
      );
      const partner = partners.find((p) => p.id === original[0]?.partner_id) as Partner;
      await gw.call("POST", `/v1/transactions/${id}/reversals`, {
        token: await tokenOf(partner),
        headers: { "Idempotency-Key": newKey() },
        body: { points: op.points },
      });
    } else if (op.kind === "convert") {
      const hotel = partners[1] as Partner;
      const quote = await gw.call("POST", "/v1/conversions/quotes", {
        token: await tokenOf(hotel),
        body: {
          from_program_id: programs[1]?.id,
          from_external_id: `M-${op.member}`,
          to_program_id: programs[0]?.id,
          to_external_id: `F-${op.member}`,
          from_points: op.points * 3,
        },
      });
      if (quote.status === 201)
        await gw.call("POST", "/v1/conversions", {
          token: await tokenOf(hotel),
          headers: { "Idempotency-Key": newKey() },
          body: { quote_id: quote.body.id },
        });
    } else if (op.kind === "adjust") {
      // The owner's credits and debits (a debit beyond the balance is refused, and settles nothing).
      const program = programs[op.program] as Program;
      await gw.call("POST", "/v1/transactions/adjustments", {
        token: await tokenOf(program.owner),
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: program.id, external_id: program.members[op.member], points: op.points, reason: "r" },
      });
    } else {
      gw.clock.advance(2 * DAY); // past the grocer program's 1-day expiry
      await runScheduledJobs(gw.deps);
    }
  }
  gw.clock.advance(1000);
  const closed = await gw.call("POST", "/v1/settlement-periods", {
    token: await gw.operatorToken(),
    body: { start: lastEnd, end: gw.clock.now().toISOString() },
  });
  expect(closed.status).toBe(201);
  lastEnd = closed.body.end;
  const statements: Statement[] = [];
  for (const summary of closed.body.statements as { id: string }[])
    statements.push((await gw.call("GET", `/v1/settlements/${summary.id}`, { token: await gw.operatorToken() })).body);
  return { periodId: closed.body.id as string, statements };
}

/**
 * Per program, the points the journal says this period settled, by kind of line (adjustments signed by their entry;
 * bonuses net of their reversals).
 */
async function journal(periodId: string) {
  const rows = await gw.deps.reader.all<{ program_id: string; kind: string; points: number }>(
    `select t.program_id,
            case when t.type = 'reversal' then o.type else t.type end as kind,
            sum(case when t.type = 'reversal' then -t.points
                     when t.type = 'adjustment' then (select e.amount from ledger_entries e
                                                      where e.transaction_id = t.id and e.account_id = t.member_id)
                     else t.points end) as points
     from ledger_transactions t left join ledger_transactions o on o.id = t.original_transaction_id
     where t.settlement_period_id = ? and (t.type in ('earn', 'burn', 'expiry', 'conversion_in', 'adjustment', 'bonus')
       or (t.type = 'reversal' and o.type in ('earn', 'burn', 'bonus')))
     group by 1, 2`,
    [periodId],
  );
  const names: Record<string, string> = {
    earn: "points_issued",
    burn: "points_redeemed",
    expiry: "breakage",
    conversion_in: "conversion",
    adjustment: "adjustment",
    bonus: "bonus",
  };
  return Object.fromEntries(
    rows.filter((r) => r.points !== 0).map((r) => [`${r.program_id}|${names[r.kind]}`, r.points]),
  );
}

describe("settlement reconciliation", () => {
  it("statements add up exactly to the journal of their period, on random workloads", async () => {
    const kindsSeen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 5, maxLength: 30 }), async (operations) => {
        const { periodId, statements } = await run(operations);
        for (const s of statements) for (const l of s.lines) kindsSeen.add(`${l.kind}/${l.direction}`);

        // 1. Each statement is internally exact: lines priced once, half-even; totals; content hash.
        for (const statement of statements) {
          const sum = (direction: string) =>
            statement.lines.filter((l) => l.direction === direction).reduce((total, l) => total + l.amount_minor, 0);
          for (const line of statement.lines)
            expect(line.amount_minor).toBe(lineAmountMinor(line.points, line.price_micros, statement.currency));
          expect(statement.totals).toEqual({
            receivable_minor: sum("receivable"),
            payable_minor: sum("payable"),
            memo_minor: sum("memo"),
            net_amount_minor: sum("receivable") - sum("payable"),
          });
          const { content_hash, ...document } = statement;
          expect(content_hash).toBe(sha256Hex(JSON.stringify(document)));
        }

        // 2. Every payable line is the counterparty's receivable line, to the minor unit: money is conserved.
        const mirror = (s: Statement, l: Line, direction: string) =>
          [s.partner.id, l.counterparty?.id, l.program.id, l.price_micros, l.points, l.amount_minor, direction].join(
            "|",
          );
        const payables = statements.flatMap((s) =>
          s.lines.filter((l) => l.direction === "payable").map((l) => mirror(s, l, "payable")),
        );
        const receivables = statements.flatMap((s) =>
          s.lines
            .filter((l) => l.direction === "receivable")
            .map((l) =>
              [
                l.counterparty?.id,
                s.partner.id,
                l.program.id,
                l.price_micros,
                l.points,
                l.amount_minor,
                "payable",
              ].join("|"),
            ),
        );
        expect(receivables.sort()).toEqual(payables.sort());
        const byCurrency = new Map<string, number>();
        for (const s of statements)
          byCurrency.set(s.currency, (byCurrency.get(s.currency) ?? 0) + s.totals.net_amount_minor);
        for (const net of byCurrency.values()) expect(net).toBe(0);

        // 3. The points each program issued, redeemed, converted in and let expire equal the journal's.
        const settled: Record<string, number> = {};
        for (const s of statements)
          for (const l of s.lines) {
            if (l.direction === "payable") continue; // the mirror of a receivable: counted once
            const kind = l.kind.startsWith("conversion") ? "conversion" : l.kind;
            const key = `${l.program.id}|${kind}`;
            settled[key] = (settled[key] ?? 0) + l.points;
          }
        for (const key of Object.keys(settled)) if (settled[key] === 0) delete settled[key];
        expect(settled).toEqual(await journal(periodId));
      }),
      { numRuns: 8, seed: 20261124, endOnFailure: true },
    );
    // The workloads did reach every kind of line, both ways where there are two.
    expect([...kindsSeen].sort()).toEqual([
      "adjustment/memo",
      "bonus/memo",
      "breakage/memo",
      "conversion_in/receivable",
      "conversion_out/payable",
      "points_issued/memo",
      "points_issued/payable",
      "points_issued/receivable",
      "points_redeemed/memo",
      "points_redeemed/payable",
      "points_redeemed/receivable",
    ]);
    // Bonuses were reversed with their earns, in the statements' bonus lines.
    const [bonusReversals] = await gw.deps.reader.all<{ n: number }>(
      `select count(*) as n from ledger_transactions t join ledger_transactions o on o.id = t.original_transaction_id
       where t.type = 'reversal' and o.type = 'bonus'`,
    );
    expect(bonusReversals?.n).toBeGreaterThan(0);
    const unsettled = await gw.deps.reader.all(
      "select id from ledger_transactions where settlement_period_id is null and created_at < ?",
      [Date.parse(lastEnd)],
    );
    expect(unsettled).toEqual([]);
  }, 120_000);
});
