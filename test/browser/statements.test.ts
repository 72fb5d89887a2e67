import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testOutput } from "../support/browser";
import { csvSections, sumDecimals } from "../support/csv";
import { pdfText } from "../support/pdf";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * Statements that say who pays whom (issue 15, item 2), in Chromium: the hotel's statement for a calendar month
 * in which FreshCart issued hotel points (FreshCart pays the hotel) and the hotel converted points into SkyWays
 * miles (the hotel pays SkyWays), plus the hotel's own points (a memo line).
 */
let portal: PortalFixture;
let statement: {
  id: string;
  start: string;
  end: string;
  created_at: string;
  lines: { direction: string; counterparty: { name: string } | null; amount_minor: number }[];
  totals: { receivable_minor: number; payable_minor: number; net_amount_minor: number };
};
const dayMs = 86_400_000;
const finance = "finance@harbor.example";

/** What a counterparty and the hotel owe each other on the statement, netted (positive: it pays the hotel). */
const balanceWith = (name: string) =>
  statement.lines
    .filter((line) => line.counterparty?.name === name && line.direction !== "memo")
    .reduce((sum, line) => sum + (line.direction === "receivable" ? line.amount_minor : -line.amount_minor), 0);
const money = (locale: string, minor: number) =>
  new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }).format(minor / 100);
const month = (locale: string) =>
  new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(statement.start),
  );
const date = (locale: string, at: number) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(at));
/** Text with the no-break spaces Intl writes as plain ones. */
const plain = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f\u2009]/g, " ").trim();

beforeAll(async () => {
  portal = await startPortal();
  const { gw, setup } = portal;
  const operator = await gw.operatorToken();
  const renamed = await gw.call("PATCH", `/v1/partners/${setup.airline.owner.partner.id}`, {
    token: operator,
    body: { name: "SkyWays Airlines" },
  });
  if (renamed.status !== 200) throw new Error(`rename: ${renamed.text}`);
  const fresh = await gw.onboardPartner({ name: "FreshCart" });
  const agreement = await gw.call("POST", `/v1/programs/${setup.hotel.programId}/agreements`, {
    token: operator,
    body: {
      partner_id: fresh.partner.id,
      can_earn: true,
      can_burn: true,
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
    },
  });
  if (agreement.status !== 201) throw new Error(`agreement: ${agreement.text}`);
  await setup.hotel.move("earn", setup.guest, 300, { token: fresh.token });
  await setup.fund(200); // the hotel's own points: a memo line
  const quote = await setup.quote(1_000);
  const converted = await setup.execute(quote.body.id);
  if (converted.status !== 201) throw new Error(`conversion: ${converted.text}`);

  // Close the calendar month after next, at its end: its statement is named by the month.
  const now = gw.clock.now();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1);
  gw.clock.set(new Date(end));
  const closed = await gw.call("POST", "/v1/settlement-periods", {
    token: await gw.operatorToken(),
    body: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
  });
  if (closed.status !== 201) throw new Error(`closing the month: ${closed.text}`);
  const id = closed.body.statements.find(
    (s: { partner_id: string }) => s.partner_id === setup.hotel.owner.partner.id,
  ).id;
  const read = await gw.call("GET", `/v1/settlements/${id}`, { token: await gw.operatorToken() });
  statement = { ...read.body, start: read.body.period.start, end: read.body.period.end };
  await portal.portalUser(finance, "finance");
}, 60_000);
afterAll(() => portal?.close());

/** The finance manager signed in (the form is in English), then speaking `locale` (the switch's cookie). */
async function inLanguage(locale: string, viewport: "desktop" | "phone" = "desktop") {
  const signedIn = await signedInPage(portal, finance, { viewport });
  await signedIn.context.addCookies([{ name: "cg_lang", value: locale, url: portal.base }]);
  return signedIn;
}

/** Opens the month's statement from the list, checking its row on the way. */
async function openFromList(page: Page, locale: string, name: string) {
  await page.goto(`${portal.base}/portal/statements`);
  const row = page.locator(`tr[data-statement="${statement.id}"]`);
  expect(plain(await row.locator("th").textContent())).toBe(plain(month(locale)));
  await checkPage(page, `${name}-list`);
  await row.getByRole("link").click();
  await page.waitForURL(`${portal.base}/portal/statements/${statement.id}`);
  return row;
}

describe("a statement that says who pays whom", () => {
  it("names the month, each counterparty, the net, the due date and the status (English)", async () => {
    const { page, context } = await signedInPage(portal, finance);
    const skyways = balanceWith("SkyWays Airlines");
    const freshcart = balanceWith("FreshCart");
    const net = statement.totals.net_amount_minor;
    expect(skyways).toBeLessThan(0);
    expect(freshcart).toBeGreaterThan(0);
    expect(net).toBe(skyways + freshcart);
    const due = new Date(statement.created_at).getTime() + 15 * dayMs;

    await page.goto(`${portal.base}/portal/statements`);
    const row = page.locator(`tr[data-statement="${statement.id}"]`);
    expect(plain(await row.locator("[data-net]").textContent())).toBe(`Net: you pay ${money("en", -net)}`);
    expect(plain(await row.locator("[data-status]").textContent())).toBe(`Due by ${date("en", due)}`);
    await openFromList(page, "en", "statements-en");

    expect(await page.locator("h1").textContent()).toBe(`Statement for ${month("en")}`);
    expect((await page.locator(".balances li").allTextContents()).map(plain)).toEqual([
      `FreshCart pays you ${money("en", freshcart)}`,
      `You pay SkyWays Airlines ${money("en", -skyways)}`,
    ]);
    expect(plain(await page.locator(".statement-summary .net").textContent())).toBe(
      `Net: you pay ${money("en", -net)}`,
    );
    expect(plain(await page.locator(".statement-summary [data-status]").textContent())).toBe(
      `Due by ${date("en", due)}`,
    );
    expect(plain(await page.locator('[data-total="net"]').textContent())).toBe(money("en", net));
    // The memo line (the hotel's own points) is apart, under its own heading, and not in the totals.
    expect(await page.getByRole("heading", { name: "Memo lines (not in the totals)" }).count()).toBe(1);
    expect(await page.locator(".memo tbody tr").count()).toBeGreaterThan(0);
    await checkPage(page, "statement-en");
    await context.close();
  }, 60_000);

  for (const [locale, youPay, netSays] of [
    ["pt-BR", "Você paga {amount} para SkyWays Airlines", "Saldo: você paga {amount}"],
    ["ru", "Вы платите SkyWays Airlines {amount}", "Итого: вы платите {amount}"],
  ] as const)
    it(`says the same in ${locale} on a phone`, async () => {
      const net = statement.totals.net_amount_minor;
      const { page, context } = await inLanguage(locale, "phone");
      await openFromList(page, locale, `statements-${locale}`);
      const heading = locale === "pt-BR" ? `Extrato de ${month(locale)}` : `Выписка за ${month(locale)}`;
      expect(plain(await page.locator("h1").textContent())).toBe(plain(heading));
      const balances = (await page.locator(".balances li").allTextContents()).map(plain);
      expect(balances).toContain(plain(youPay.replace("{amount}", money(locale, -balanceWith("SkyWays Airlines")))));
      expect(plain(await page.locator(".statement-summary .net").textContent())).toBe(
        plain(netSays.replace("{amount}", money(locale, -net))),
      );
      await checkPage(page, `statement-${locale}`);
      await context.close();
    }, 60_000);

  it("downloads a CSV whose amount column sums to the net, to the cent", async () => {
    const { page, context } = await signedInPage(portal, finance);
    await page.goto(`${portal.base}/portal/statements/${statement.id}`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    const path = join(testOutput, `month-${download.suggestedFilename()}`);
    await download.saveAs(path);
    const [lines = [], summary = []] = csvSections(readFileSync(path, "utf8"));
    expect(lines.length).toBe(statement.lines.length);
    expect(
      sumDecimals(
        lines.map((line) => line.amount ?? ""),
        2,
      ),
    ).toBe(BigInt(statement.totals.net_amount_minor));
    expect(lines.filter((line) => line.direction === "memo").every((line) => line.amount === "")).toBe(true);
    expect(summary.find((row) => row.summary === "net")).toMatchObject({
      direction: "you_pay",
      amount_minor: String(-statement.totals.net_amount_minor),
      status: "due",
    });
    expect(summary.filter((row) => row.summary === "counterparty").map((row) => row.counterparty)).toEqual([
      "FreshCart",
      "SkyWays Airlines",
    ]);
    await context.close();
  });

  it("downloads a PDF in the manager's language with the summary, the issuer and page numbers", async () => {
    const net = statement.totals.net_amount_minor;
    for (const [locale, says] of [
      ["en", ["Coalition operator", `Net: you pay ${money("en", -net)}`, "Page 1 of 1", month("en")]],
      ["pt-BR", ["Operador da coalizão", `Saldo: você paga ${money("pt-BR", -net)}`, "Página 1 de 1"]],
      ["ru", ["Оператор коалиции", `Итого: вы платите ${money("ru", -net)}`, "Страница 1 из 1", "Кто кому платит"]],
    ] as const) {
      const { page, context } = await inLanguage(locale);
      await page.goto(`${portal.base}/portal/statements/${statement.id}`);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator(`a[href$="${statement.id}.pdf"]`).click(),
      ]);
      const path = join(testOutput, `month-${locale}-${download.suggestedFilename()}`);
      await download.saveAs(path);
      const bytes = readFileSync(path);
      expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
      const text = (await pdfText(bytes)).map(plain);
      for (const said of says) expect(text).toContain(plain(said));
      const youPay = { en: "You pay SkyWays", "pt-BR": "Você paga", ru: "Вы платите SkyWays" }[locale];
      expect(text.some((line) => line.startsWith(youPay))).toBe(true);
      await context.close();
    }
  }, 60_000);

  it("marks the statement overdue once its due date has passed", async () => {
    portal.gw.clock.advance(16 * dayMs);
    const { page, context } = await signedInPage(portal, finance);
    await page.goto(`${portal.base}/portal/statements`);
    const due = new Date(statement.created_at).getTime() + 15 * dayMs;
    const row = page.locator(`tr[data-statement="${statement.id}"]`);
    expect(plain(await row.locator("[data-status]").textContent())).toBe(`Overdue: it was due by ${date("en", due)}`);
    await checkPage(page, "statements-overdue");
    await context.close();
  }, 60_000);
});
