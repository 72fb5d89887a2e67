import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../gateway/src/auth/secrets";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, newKey, setupProgram } from "../support/ledger";
import { pdfText } from "../support/pdf";
import { itIsOperatorOnly, itNeedsScope } from "../support/route-security";

const MINUTE = 60_000;

let gw: TestGateway;
let periodStart: string;
beforeAll(async () => {
  gw = await createTestGateway();
  periodStart = gw.clock.now().toISOString();
});
afterAll(async () => {
  await expectLedgerInvariants(gw);
  await gw.close();
});

async function close(start: string, end = gw.clock.now().toISOString()) {
  return gw.call("POST", "/v1/settlement-periods", { token: await gw.operatorToken(), body: { start, end } });
}

/**
 * A hotel program (USD, issue 12,000 micros, redeem 10,000) and a grocer with its own agreement in it
 * (issue 11,000, redeem 9,000). The grocer is named like a spreadsheet formula, to test CSV neutralisation.
 */
async function coalition() {
  const hotel = await setupProgram(gw, {
    name: "Harbor Rewards",
    issue_price_micros: 12_000,
    redeem_price_micros: 10_000,
  });
  const grocer = await gw.onboardPartner({ name: '=HYPERLINK("http://evil.example","Grocer")' });
  await gw.call("POST", `/v1/programs/${hotel.programId}/agreements`, {
    token: await gw.operatorToken(),
    body: {
      partner_id: grocer.partner.id,
      can_earn: true,
      can_burn: true,
      issue_price_micros: 11_000,
      redeem_price_micros: 9_000,
    },
  });
  return { hotel, grocer };
}

/** The statements of the first period, read again by later tests. */
let first: { hotelStatement: string; grocerStatement: string; grocerToken: string; hotelToken: string };

describe("closing a settlement period", () => {
  itIsOperatorOnly(
    () => gw,
    () => [
      {
        method: "POST",
        path: "/v1/settlement-periods",
        body: { start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z" },
      },
    ],
  );
  itNeedsScope(
    () => gw,
    "settlements:read",
    () => [
      { method: "GET", path: "/v1/settlements" },
      { method: "GET", path: "/v1/settlements/stm_x" },
      { method: "GET", path: "/v1/settlements/stm_x.csv" },
      { method: "GET", path: "/v1/settlements/stm_x.pdf" },
    ],
  );

  it("issues each partner a statement whose lines price every movement with its agreement (known answer)", async () => {
    const { hotel, grocer } = await coalition();
    const member = await hotel.enrol();
    const earned = await hotel.move("earn", member, 1_000, { token: grocer.token });
    expect(earned.status).toBe(201);
    await hotel.move("earn", member, 500); // the hotel issuing its own points: a memo line
    await hotel.move("burn", member, 300, { token: grocer.token });
    const reversal = await gw.call("POST", `/v1/transactions/${earned.body.id}/reversals`, {
      token: grocer.token,
      headers: { "Idempotency-Key": newKey() },
      body: { points: 100, reason: "returned goods" },
    });
    expect(reversal.status).toBe(201);
    gw.clock.advance(MINUTE);

    const closed = await close(periodStart);
    expect(closed.status).toBe(201);
    const byPartner = Object.fromEntries(
      closed.body.statements.map((s: { partner_id: string; id: string }) => [s.partner_id, s]),
    );
    const grocerSummary = byPartner[grocer.partner.id];
    const hotelSummary = byPartner[hotel.owner.partner.id];
    expect(grocerSummary).toMatchObject({ currency: "USD", net_amount_minor: -720 });
    expect(hotelSummary).toMatchObject({ currency: "USD", net_amount_minor: 720 });

    const statement = await gw.call("GET", `/v1/settlements/${grocerSummary.id}`, { token: grocer.token });
    expect(statement.status).toBe(200);
    expect(statement.body.lines).toEqual([
      {
        kind: "points_issued",
        direction: "payable",
        counterparty: { id: hotel.owner.partner.id, name: hotel.owner.partner.name },
        program: { id: hotel.programId, name: "Harbor Rewards" },
        points: 900, // 1,000 earned, 100 reversed: netted
        price_micros: 11_000,
        amount_minor: 990,
      },
      {
        kind: "points_redeemed",
        direction: "receivable",
        counterparty: { id: hotel.owner.partner.id, name: hotel.owner.partner.name },
        program: { id: hotel.programId, name: "Harbor Rewards" },
        points: 300,
        price_micros: 9_000,
        amount_minor: 270,
      },
    ]);
    expect(statement.body.totals).toEqual({
      receivable_minor: 270,
      payable_minor: 990,
      memo_minor: 0,
      net_amount_minor: -720,
    });
    const { content_hash, ...document } = statement.body;
    expect(content_hash).toBe(sha256Hex(JSON.stringify(document)));

    const hotelStatement = await gw.call("GET", `/v1/settlements/${hotelSummary.id}`, { token: hotel.owner.token });
    expect(
      hotelStatement.body.lines.map((l: { kind: string; direction: string; amount_minor: number }) => [
        l.kind,
        l.direction,
        l.amount_minor,
      ]),
    ).toEqual([
      ["points_issued", "receivable", 990],
      ["points_issued", "memo", 600],
      ["points_redeemed", "payable", 270],
    ]);
    first = {
      hotelStatement: hotelSummary.id,
      grocerStatement: grocerSummary.id,
      grocerToken: grocer.token,
      hotelToken: hotel.owner.token,
    };

    const events = await gw.call("GET", "/v1/events?type=settlement.statement_ready", { token: grocer.token });
    expect(events.body.data[0].data).toMatchObject({ id: grocerSummary.id, net_amount_minor: -720, content_hash });
  });

  it("keeps closed statements as issued and settles later movements in the next period", async () => {
    const before = await gw.call("GET", `/v1/settlements/${first.grocerStatement}`, { token: first.grocerToken });
    const lastEnd = before.body.period.end;
    const { hotel, grocer } = await coalition();
    const member = await hotel.enrol();
    await hotel.move("earn", member, 2_000, { token: grocer.token });
    gw.clock.advance(MINUTE);

    expect((await close(periodStart)).status).toBe(409); // overlaps the closed period
    expect((await close(lastEnd, new Date(gw.clock.now().getTime() + MINUTE).toISOString())).status).toBe(400);
    const next = await close(lastEnd);
    expect(next.status).toBe(201);
    const next_ = next.body.statements as { id: string; partner_id: string; net_amount_minor: number }[];
    expect(next_.find((s) => s.partner_id === grocer.partner.id)?.net_amount_minor).toBe(-2_200);
    // A partner with no movements in the period still gets its statement: nothing owed either way.
    const idle = next_.find((s) => s.partner_id === before.body.partner.id);
    expect(idle?.net_amount_minor).toBe(0);
    const idleStatement = await gw.call("GET", `/v1/settlements/${idle?.id}`, { token: first.grocerToken });
    expect(idleStatement.body).toMatchObject({ lines: [], totals: { net_amount_minor: 0 } });
    const after = await gw.call("GET", `/v1/settlements/${first.grocerStatement}`, { token: first.grocerToken });
    expect(after.text).toBe(before.text);
  });

  it("lets only one of two concurrent closes of the same period through", async () => {
    const [last] = await gw.deps.reader.all<{ end: number }>("select max(end) as end from settlement_periods");
    gw.clock.advance(MINUTE);
    const start = new Date(last?.end ?? 0).toISOString();
    const [a, b] = await Promise.all([close(start), close(start)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const periods = await gw.deps.reader.all("select id from settlement_periods where start = ?", [last?.end ?? 0]);
    expect(periods).toHaveLength(1);
  });

  it("refuses bad periods with a problem and writes nothing", async () => {
    const operator = await gw.operatorToken();
    for (const body of [
      { start: "yesterday", end: "today" },
      { start: "2026-02-01T00:00:00Z", end: "2026-01-01T00:00:00Z" },
      {},
    ]) {
      const response = await gw.call("POST", "/v1/settlement-periods", { token: operator, body });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe("validation_failed");
    }
    const partner = await gw.onboardPartner();
    const asPartner = await gw.call("POST", "/v1/settlement-periods", {
      token: partner.token,
      body: { start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z" },
    });
    expect(asPartner.status).toBe(403);
  });
});

describe("statement downloads", () => {
  it("serves the CSV per RFC 4180 with formula cells neutralised, and a PDF with the statement", async () => {
    const list = await gw.call("GET", "/v1/settlements", { token: first.grocerToken });
    expect(list.body.data.length).toBeGreaterThanOrEqual(1);
    const csv = await gw.call("GET", `/v1/settlements/${first.grocerStatement}.csv`, { token: first.grocerToken });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(
      /^attachment; filename="stm_[0-9a-z]+-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    // The body's text drops the byte order mark; the bytes keep it, for spreadsheets.
    const raw = await gw.app.request(`/v1/settlements/${first.grocerStatement}.csv`, {
      headers: { Authorization: `Bearer ${first.grocerToken}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text.startsWith("statement_id,partner,period_start,")).toBe(true);
    const rows = csv.text.split("\r\n").filter(Boolean);
    expect(rows).toHaveLength(1 + 2 + 4); // header, 2 lines, 4 totals
    expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""Grocer"")"`);
    expect(rows[1]).toContain("points_issued,payable");
    expect(rows[1]).toContain(",900,0.011000,9.90,990,");
    expect(rows[6]).toContain("net_total,payable,,,,,7.20,720,");
    for (const row of rows) expect(row.split(",").every((cell) => !/^[=+\-@]/.test(cell))).toBe(true);

    const pdf = await gw.app.request(`/v1/settlements/${first.grocerStatement}.pdf`, {
      headers: { Authorization: `Bearer ${first.grocerToken}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    const parsed = await PDFDocument.load(bytes);
    expect(parsed.getTitle()).toBe(`Settlement statement ${first.grocerStatement}`);
    expect(parsed.getPageCount()).toBe(1);
    const text = pdfText(bytes);
    expect(text).toContain("Settlement statement");
    expect(text).toContain("points issued");
    expect(text).toContain("900");
    expect(text).toContain("9.90");
    expect(text).toContain("-7.20 USD");
    const statement = await gw.call("GET", `/v1/settlements/${first.grocerStatement}`, { token: first.grocerToken });
    expect(text.some((line) => line.includes(statement.body.content_hash))).toBe(true);
  });

  it("answers 404 for another partner's statement, in every format", async () => {
    const stranger = await gw.onboardPartner();
    for (const suffix of ["", ".csv", ".pdf"]) {
      const response = await gw.call("GET", `/v1/settlements/${first.grocerStatement}${suffix}`, {
        token: stranger.token,
      });
      expect(response.status, suffix).toBe(404);
    }
    const own = await gw.call("GET", `/v1/settlements/${first.hotelStatement}`, { token: first.hotelToken });
    expect(own.status).toBe(200);
  });
});
