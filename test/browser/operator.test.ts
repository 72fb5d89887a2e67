import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLastPeriod } from "../../gateway/src/db/queries/settlements";
import { operatorCredential } from "../support/gateway";
import { checkPage, type Page, type PortalFixture, startPortal } from "../support/portal";

/**
 * The operator decides with context (issue 15, item 8): review cards with the partner, the member, source and
 * destination, amounts, value, the rule and the member's history; a confirmation after the redirect; closing a
 * period through a "last month" preset, a preview that writes nothing, a confirmation and the result.
 */
let portal: PortalFixture;
beforeAll(async () => {
  portal = await startPortal();
}, 60_000);
afterAll(() => portal?.close());

async function operatorPage(options: { locale?: string; viewport?: "desktop" | "phone" } = {}) {
  const context = await portal.newContext(options);
  const page = await context.newPage();
  await page.goto(`${portal.base}/portal/operator/login`);
  await page.locator('input[name="client_id"]').fill(operatorCredential.clientId);
  await page.locator('input[name="client_secret"]').fill(operatorCredential.secret);
  await Promise.all([page.waitForURL(`${portal.base}/portal/operator`), page.locator("form button").last().click()]);
  return { context, page };
}

const count = async (table: string) =>
  (await portal.gw.deps.reader.all<{ n: number }>(`select count(*) as n from ${table}`))[0]?.n ?? 0;

/** Holds a conversion of 3,000 points and a burn of 2,500 by the hotel's member: both over a 2,000 threshold. */
async function holdTwo() {
  const { gw, setup } = portal;
  const operator = await gw.operatorToken();
  const rules = await gw.call("PUT", `/v1/programs/${setup.hotel.programId}/velocity-rules`, {
    token: operator,
    body: { review_threshold_points: 2_000 },
  });
  expect(rules.status).toBe(200);
  await setup.fund(5_000);
  const quote = await setup.quote(3_000);
  const conversion = await setup.execute(quote.body.id);
  expect(conversion.status).toBe(202);
  const burn = await setup.hotel.move("burn", setup.guest, 2_500, { token: await setup.token() });
  expect(burn.status).toBe(202);
}

describe("the operator's review queue", () => {
  it("shows each held operation as a card with its context, and confirms a decision after the redirect", async () => {
    await holdTwo();
    const { context, page } = await operatorPage();
    const cards = page.locator("article.review");
    expect(await cards.count()).toBe(2);
    const conversion = cards.first();
    const text = (await conversion.textContent()) ?? "";
    expect(await conversion.locator("h3").textContent()).toBe(
      `Conversion of 3,000 points · ${portal.setup.hotel.owner.partner.name}`,
    );
    expect(text).toContain("Above the program's review threshold");
    expect(text).toContain(`${portal.setup.guest} in Harbor Rewards, member since`);
    // 4,500 + 5,000 funded, 3,000 and then 2,500 reserved.
    expect(text).toContain("4,000 available, 5,500 reserved");
    expect(text).toContain(`SkyWays Miles, member ${portal.setup.flyer}`);
    expect(await conversion.locator("[data-amounts]").textContent()).toBe("3,000 points out (fee 0), 1,800 points in");
    // 1,800 miles at the airline's issue price of 15,000 micros: $27.00, exactly.
    expect(await conversion.locator("[data-value]").textContent()).toBe("$27.00");
    const history = conversion.locator("tbody tr");
    expect(await history.count()).toBe(5);
    expect(await history.first().locator("td").first().textContent()).toBe("Reserved");
    expect(await history.first().locator("td").first().getAttribute("data-label")).toBe("Movement");
    const burn = cards.nth(1);
    expect(await burn.locator("[data-amounts]").textContent()).toBe("2,500 points redeemed");
    // 2,500 points at the hotel's redeem price of 10,000 micros.
    expect(await burn.locator("[data-value]").textContent()).toBe("$25.00");
    await checkPage(page, "operator-queue");

    const before = await count("review_decisions");
    await conversion.getByLabel(/^Reason/).fill("Known traveller");
    await Promise.all([page.waitForURL(/decided=/), conversion.getByRole("button", { name: "Approve" }).click()]);
    expect(await count("review_decisions")).toBe(before + 1);
    const status = page.getByRole("status");
    expect(await status.textContent()).toBe(
      `Approved: 3,000 points converted for member ${portal.setup.guest}.Reason given: Known traveller`,
    );
    expect(await page.locator("article.review").count()).toBe(1);
    await checkPage(page, "operator-approved");
    // Reloading the confirmation decides nothing again.
    await page.reload();
    expect(await count("review_decisions")).toBe(before + 1);

    await page.locator("article.review").getByRole("button", { name: "Reject" }).click();
    await page.waitForURL(/decided=/);
    expect(await page.getByRole("status").textContent()).toBe(
      `Rejected: the redemption of 2,500 points for member ${portal.setup.guest}; the points are back in their balance.`,
    );
    expect(await page.getByText("Nothing to review.").count()).toBe(1);
    await context.close();
  }, 60_000);

  it("shows a card in Portuguese on a phone", async () => {
    const { setup } = portal;
    const quote = await setup.quote(3_000);
    expect((await setup.execute(quote.body.id)).status).toBe(202);
    const { context, page } = await operatorPage({ locale: "pt-BR", viewport: "phone" });
    const card = page.locator("article.review").first();
    expect(await card.locator("h3").textContent()).toMatch(/^Conversão de 3\.000 pontos · /);
    expect(await card.textContent()).toContain("Acima do limite de revisão do programa");
    expect((await card.locator("[data-value]").textContent())?.replace(/\s/g, " ")).toBe("US$ 27,00");
    await checkPage(page, "operator-queue-pt-BR");
    await card.getByRole("button", { name: "Rejeitar" }).click();
    await page.waitForURL(/decided=/);
    expect(await page.getByRole("status").textContent()).toMatch(/^Rejeitada: a conversão de 3\.000 pontos/);
    await context.close();
  }, 60_000);
});

describe("closing a period from the portal", () => {
  async function previewLastMonth(page: Page) {
    await page.getByRole("link", { name: /^Last month/ }).click();
    await page.waitForURL(/start=/);
    const start = await page.getByLabel("Start (UTC)").inputValue();
    const end = await page.getByLabel("End (excluded) (UTC)").inputValue();
    await page.getByRole("button", { name: "Preview the statements" }).click();
    await page.waitForURL(/periods\/preview/);
    return { start, end };
  }

  it("refuses last month while it overlaps the closed period, saying why", async () => {
    const { context, page } = await operatorPage();
    const { start, end } = await previewLastMonth(page);
    const now = portal.gw.clock.now();
    expect(start).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 16));
    expect(end).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 16));
    expect(await page.getByRole("alert").textContent()).toMatch(
      /^The period overlaps the last closed one, which ended on /,
    );
    expect(await page.getByLabel("Start (UTC)").inputValue()).toBe(start);
    expect(await page.getByLabel("Start (UTC)").getAttribute("aria-invalid")).toBe("true");
    await checkPage(page, "operator-close-refused");
    await context.close();
  }, 60_000);

  it("previews last month's statements without writing, then closes it and shows the result", async () => {
    // A month and more later, last month starts after the closed period: it settles everything since.
    const now = portal.gw.clock.now();
    portal.gw.clock.set(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 3, 12)));
    const { context, page } = await operatorPage();
    const periods = await count("settlement_periods");
    const statements = await count("statements");
    await previewLastMonth(page);
    expect(await page.locator("h1").textContent()).toBe("Close a period: preview");
    expect(await count("settlement_periods")).toBe(periods);
    expect(await count("statements")).toBe(statements);
    const rows = page.locator("tbody tr");
    const preview = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? "")),
    );
    // The hotel owes the airline for the approved conversion: 1,800 miles at $0.015.
    expect(preview).toContainEqual([portal.setup.hotel.owner.partner.name, "USD", "$27.00 owed by the partner", "2"]);
    expect(preview).toContainEqual([portal.setup.airline.owner.partner.name, "USD", "$27.00 owed to the partner", "1"]);
    expect(await page.locator('td[data-label="Lines"]').count()).toBe(preview.length);
    await checkPage(page, "operator-close-preview");

    await page.getByRole("button", { name: /^Close the period and issue \d+ statements$/ }).click();
    await page.waitForURL(/\/portal\/operator\/periods\/stp_/);
    expect(await count("settlement_periods")).toBe(periods + 1);
    expect(await page.getByRole("status").textContent()).toBe(`Period closed: ${preview.length} statements issued.`);
    const result = await page
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? "")));
    expect(result).toEqual(preview);
    await checkPage(page, "operator-close-result");
    // Reloading the result closes nothing again.
    await page.reload();
    expect(await count("settlement_periods")).toBe(periods + 1);
    await context.close();
  }, 60_000);

  it("says why a period cannot be closed in the operator's language: not ended (ru), closed meanwhile (pt-BR)", async () => {
    const now = portal.gw.clock.now();
    const minute = (at: number) => new Date(at).toISOString().slice(0, 16);
    const ru = await operatorPage({ locale: "ru", viewport: "phone" });
    const future = `start=${minute(now.getTime() - 86_400_000)}&end=${minute(now.getTime() + 86_400_000)}`;
    const refused = await ru.page.goto(`${portal.base}/portal/operator/periods/preview?${future}`);
    expect(refused?.status()).toBe(400);
    expect(await ru.page.getByRole("alert").textContent()).toBe(
      "Конец периода ещё не наступил: закрыть можно только завершившийся период.",
    );
    await checkPage(ru.page, "operator-close-future-ru");
    await ru.context.close();

    // A preview from the end of the last closed period to now; another close commits before this one is sent.
    const last = await findLastPeriod(portal.gw.deps.db);
    const period = { start: minute(last?.end.getTime() ?? 0), end: minute(now.getTime() - 60_000) };
    const pt = await operatorPage({ locale: "pt-BR" });
    await pt.page.goto(`${portal.base}/portal/operator/periods/preview?start=${period.start}&end=${period.end}`);
    expect(await pt.page.locator("h1").textContent()).not.toBe("");
    const meanwhile = await portal.gw.call("POST", "/v1/settlement-periods", {
      token: await portal.gw.operatorToken(),
      body: { start: `${period.start}:00Z`, end: `${period.end}:00Z` },
    });
    expect(meanwhile.status).toBe(201);
    const [answer] = await Promise.all([
      pt.page.waitForResponse((response) => response.request().method() === "POST"),
      pt.page.getByRole("button", { name: /^Fechar o período/ }).click(),
    ]);
    expect(answer.status()).toBe(409);
    await pt.page.waitForLoadState();
    const said = (await pt.page.getByRole("alert").textContent()) ?? "";
    expect(said).toMatch(
      /^O período se sobrepõe ao último fechado, que terminou em .+: comece nessa data ou depois\.$/,
    );
    expect(said).not.toMatch(/overlaps|Another close/);
    await checkPage(pt.page, "operator-close-meanwhile-pt");
    await pt.context.close();
  }, 60_000);
});
