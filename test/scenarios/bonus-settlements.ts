import { describe, expect, it } from "vitest";
import { pdfText } from "../support/pdf";
import { addAgreement, onboardPartner, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Blue (entry), and Gold from 100 points: 50% accrual and a 250-point upgrade bonus. */
const tiers = {
  tiers: [
    { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
    { key: "gold", name: "Gold", min_points: 100, earn_bonus_bps: 5000, upgrade_bonus_points: 250 },
  ],
};

/**
 * Bonuses where the journal is read outside the earn (issue 16, item 7): a statement prices them as the program
 * owner's own issuance at its issue price, whichever partner's earn caused them, nets their reversals, and still
 * adds up to the journal; and they expire with their earn.
 */
export function bonusSettlementScenarios(target: Target) {
  const gw = connect(target);
  /** Where the next period starts: the first before anything these scenarios move, then the last close's end. */
  let periodStart: string | undefined;

  /** A program (issue 12,000 micros, redeem 10,000) with the tiers above, and a grocer earning in it at 11,000. */
  async function tieredCoalition(overrides: Record<string, unknown> = {}) {
    periodStart ??= gw.clock.now().toISOString();
    const program = await setupProgram(gw, {
      name: "Harbor Rewards",
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
      ...overrides,
    });
    expectBody(
      await gw.call("PUT", `/v1/programs/${program.programId}/tiers`, { as: program.owner, body: tiers }),
      op.putTiers,
      200,
    );
    const grocer = await onboardPartner(gw, { name: "Grocer" });
    await addAgreement(gw, program.programId, grocer.id, { issue_price_micros: 11_000, redeem_price_micros: 9_000 });
    return { ...program, grocer };
  }

  /** A member that reached Gold with a grocer's earn of 100 (upgrade bonus 250), then earned 200 there (bonus 100). */
  async function goldMember(program: Awaited<ReturnType<typeof tieredCoalition>>) {
    const { externalId } = await program.enrol();
    const reaching = await program.earn(externalId, 100, { as: program.grocer });
    expect(reaching.bonuses).toMatchObject([{ source: "tier_upgrade", source_id: "gold", points: 250 }]);
    const earned = await program.earn(externalId, 200, { as: program.grocer });
    expect(earned.bonuses).toMatchObject([{ source: "tier", source_id: "gold", points: 100 }]);
    return { externalId, reaching, earned };
  }

  describe("bonuses in settlement statements", () => {
    it("prices bonuses as the owner's issuance, nets their reversals, and adds up to the journal (known answer)", async () => {
      const program = await tieredCoalition();
      const { earned } = await goldMember(program);
      // A quarter of the earn back: a quarter of its tier bonus with it (the upgrade bonus stays).
      const reversal = await program.reverse(earned.id, { points: 50, reason: "returned goods" }, program.grocer);
      expect(expectBody(reversal, op.reverseTransaction, 201).bonuses).toMatchObject([
        { source: "tier", source_id: "gold", points: 25 },
      ]);
      gw.clock.advance(MINUTE);

      const closed = expectBody(
        await gw.call("POST", "/v1/settlement-periods", {
          as: gw.operator,
          body: { start: periodStart, end: gw.clock.now().toISOString() },
        }),
        op.closeSettlementPeriod,
        201,
      );
      periodStart = closed.end;
      const statementOf = async (partnerId: string) => {
        const summary = closed.statements.find((s) => s.partner_id === partnerId);
        return expectBody(
          await gw.call("GET", `/v1/settlements/${summary?.id}`, { as: gw.operator }),
          op.getSettlement,
          200,
        );
      };
      const owner = await statementOf(program.owner.id);
      const grocer = await statementOf(program.grocer.id);
      const programRef = { id: program.programId, name: "Harbor Rewards" };
      expect(owner.lines).toEqual([
        {
          kind: "points_issued",
          direction: "receivable",
          counterparty: { id: program.grocer.id, name: "Grocer" },
          program: programRef,
          points: 250, // 300 earned, 50 reversed
          price_micros: 11_000,
          amount_minor: 275,
        },
        {
          // 250 (upgrade) + 100 (accrual) - 25 (reversed with its earn), at the owner's issue price: paid by no one
          // else, so a memo line of the owner's own statement.
          kind: "bonus",
          direction: "memo",
          counterparty: { id: program.owner.id, name: program.owner.name },
          program: programRef,
          points: 325,
          price_micros: 12_000,
          amount_minor: 390,
        },
      ]);
      expect(owner.totals).toEqual({ receivable_minor: 275, payable_minor: 0, memo_minor: 390, net_amount_minor: 275 });
      // The grocer pays for its earns only: the bonuses its earns caused are not its issuance.
      expect(grocer.lines.map((l) => [l.kind, l.direction, l.points, l.amount_minor])).toEqual([
        ["points_issued", "payable", 250, 275],
      ]);
      expect(grocer.totals.net_amount_minor + owner.totals.net_amount_minor).toBe(0);

      // The journal of the period: bonuses net of their reversals are the bonus line, earns the issued line.
      const journal = await gw.rows<{ kind: string; points: number }>(
        `select case when t.type = 'reversal' then o.type else t.type end as kind,
                sum(case when t.type = 'reversal' then -t.points else t.points end) as points
         from ledger_transactions t left join ledger_transactions o on o.id = t.original_transaction_id
         where t.settlement_period_id = ? and t.program_id = ?
         group by 1 order by 1`,
        closed.id,
        program.programId,
      );
      expect(journal).toEqual([
        { kind: "bonus", points: 325 },
        { kind: "earn", points: 250 },
      ]);

      // The CSV shows the line under its kind, as a memo; the PDF words it in each language.
      const csv = await gw.call("GET", `/v1/settlements/${owner.id}.csv`, { as: program.owner });
      expect(csv.text).toContain(",USD,bonus,memo,");
      expect(csv.text).toContain(",325,0.012000,,,3.90,");
      for (const [lang, words] of [
        ["en", "Bonus points issued"],
        ["pt-BR", "Pontos de bônus emitidos"],
        ["ru", "Начисленные бонусы"],
      ] as const) {
        const pdf = await gw.call("GET", `/v1/settlements/${owner.id}.pdf?lang=${lang}`, { as: program.owner });
        expect(pdf.status).toBe(200);
        expect(await pdfText(pdf.bytes)).toContain(words); // whole, not cut to fit its column
      }
      await expectLedgerInvariants(gw.rows);
    });

    it("settles a bonus's later reversal in the next period as a negative bonus line at the bonus's price", async () => {
      const program = await tieredCoalition();
      const { earned } = await goldMember(program);
      gw.clock.advance(MINUTE);
      const first = expectBody(
        await gw.call("POST", "/v1/settlement-periods", {
          as: gw.operator,
          body: { start: periodStart, end: gw.clock.now().toISOString() },
        }),
        op.closeSettlementPeriod,
        201,
      );
      periodStart = first.end;
      // The earn (and so its tier bonus) reversed in full, in the next period.
      expectBody(await program.reverse(earned.id, {}, program.grocer), op.reverseTransaction, 201);
      gw.clock.advance(MINUTE);
      const next = expectBody(
        await gw.call("POST", "/v1/settlement-periods", {
          as: gw.operator,
          body: { start: periodStart, end: gw.clock.now().toISOString() },
        }),
        op.closeSettlementPeriod,
        201,
      );
      periodStart = next.end;
      const summary = next.statements.find((s) => s.partner_id === program.owner.id);
      const statement = expectBody(
        await gw.call("GET", `/v1/settlements/${summary?.id}`, { as: program.owner }),
        op.getSettlement,
        200,
      );
      expect(statement.lines.map((l) => [l.kind, l.direction, l.points, l.price_micros, l.amount_minor])).toEqual([
        ["points_issued", "receivable", -200, 11_000, -220],
        ["bonus", "memo", -100, 12_000, -120],
      ]);
    });
  });

  describe("bonuses and expiry", () => {
    it("expires bonus points with the earn that caused them, net of what was reversed", async () => {
      const program = await tieredCoalition({ points_expire_after_days: 1 });
      const { externalId, reaching, earned } = await goldMember(program);
      expect(reaching.expires_at).not.toBeNull();
      // Earned at the same instant, the two earns, their bonuses and their expiry are one lot date.
      const bonuses = await gw.rows<{ points: number; expires_at: number; bonus_source: string }>(
        `select t.points, t.expires_at, t.bonus_source from ledger_transactions t join members m on m.id = t.member_id
         where m.external_id = ? and t.type = 'bonus' order by t.points`,
        externalId,
      );
      expect(bonuses).toEqual([
        { points: 100, expires_at: Date.parse(earned.expires_at ?? ""), bonus_source: "tier" },
        { points: 250, expires_at: Date.parse(reaching.expires_at ?? ""), bonus_source: "tier_upgrade" },
      ]);
      // A tenth of the 200 back takes a tenth of its bonus: 100 + 250 + 200 + 100 - 20 - 10 = 620 expiring.
      expectBody(await program.reverse(earned.id, { points: 20 }, program.grocer), op.reverseTransaction, 201);
      expect(await program.balance(externalId)).toMatchObject({
        available: 620,
        expiring: [{ points: 620, expires_at: earned.expires_at }],
      });

      gw.clock.advance(DAY + MINUTE);
      await target.runJobs();
      expect(await program.balance(externalId)).toMatchObject({ available: 0, expiring: [] });
      const expired = await gw.rows<{ points: number }>(
        `select t.points from ledger_transactions t join members m on m.id = t.member_id
         where m.external_id = ? and t.type = 'expiry'`,
        externalId,
      );
      expect(expired).toEqual([{ points: 620 }]);
      await expectLedgerInvariants(gw.rows);
    });

    it("keeps a later earn's bonus while the earlier lot expires", async () => {
      const program = await tieredCoalition({ points_expire_after_days: 1 });
      const { externalId } = await goldMember(program); // 650 points, expiring together
      gw.clock.advance(DAY / 2);
      const later = await program.earn(externalId, 40, { as: program.grocer });
      expect(later.bonuses).toMatchObject([{ source: "tier", points: 20 }]);
      gw.clock.advance(DAY / 2 + MINUTE);
      await target.runJobs();
      expect(await program.balance(externalId)).toMatchObject({
        available: 60,
        expiring: [{ points: 60, expires_at: later.expires_at }],
      });
      await expectLedgerInvariants(gw.rows);
    });
  });
}
