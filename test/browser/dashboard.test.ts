import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * The dashboard (issue 15, item 9): liability and the settlement net in words first, every figure against the
 * previous range of the same length (arrow and words), presets, a custom range through the query, clear errors
 * for a range that cannot be used, a titled chart with its unit; on a desktop and a phone, in English and Russian.
 */
let portal: PortalFixture;
/** The UTC day of the fixture's activity (5,000 earned, 500 redeemed, then a conversion of 1,000). */
let activityDay: string;
beforeAll(async () => {
  portal = await startPortal();
  await portal.portalUser("admin@harbor.example", "admin");
  const { setup } = portal;
  // After the fixture's closed period: the hotel converts 1,000 points into 600 miles at $0.015, so it owes $9.00.
  const quote = await setup.quote(1_000);
  expect((await setup.execute(quote.body.id)).status).toBe(201);
  // A second later, so that the open period "so far" (which ends now, excluded) includes the conversion.
  portal.gw.clock.advance(1000);
  activityDay = portal.gw.clock.now().toISOString().slice(0, 10);
}, 60_000);
afterAll(() => portal?.close());

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? "").replace(/\s/g, " ");

describe("the dashboard", () => {
  it("puts liability and the settlement net in words first, over the last 30 days by default", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    expect(new URL(page.url()).pathname).toBe("/portal/dashboard");
    const headings = await page.locator("main h2").allTextContents();
    expect(headings[0]).toBe("Where you stand");
    // 3,500 points outstanding at the owner's redeem price of 10,000 micros.
    expect(await text(page, '[data-kpi="kpi.liability"] dd.value')).toBe("$35.00");
    expect(await text(page, '[data-card="open-period"] [data-net]')).toBe("You owe $9.00");
    expect(await text(page, '[data-card="last-statement"] [data-net]')).toBe("Nothing owed either way ($0.00)");
    expect(await page.getByRole("link", { name: "Last 30 days" }).getAttribute("aria-current")).toBe("true");
    expect(await text(page, '[data-kpi="kpi.issued"] dd.value')).toBe("5,000");
    expect(await text(page, '[data-kpi="kpi.issued"] [data-change]')).toBe("▲ New: none in the previous period");
    expect(await text(page, '[data-kpi="kpi.convertedOut"] dd.value')).toBe("1,000");
    expect(await text(page, "figure.chart figcaption")).toBe("Points issued and redeemed per day (points)");
    expect(await page.locator("figure.chart details tbody tr").count()).toBe(30);
    await checkPage(page, "dashboard-default");
    await context.close();
  }, 60_000);

  it("compares a preset with the previous range of the same length, in words and arrows", async () => {
    // Ten days later the member earns 2,000: the last 7 days against the 7 before them, which hold the 5,000.
    portal.gw.clock.advance(10 * 86_400_000);
    await portal.setup.fund(2_000);
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    await page.getByRole("link", { name: "Last 7 days" }).click();
    await page.waitForURL(/days=7/);
    expect(await page.getByRole("link", { name: "Last 7 days" }).getAttribute("aria-current")).toBe("true");
    expect(await text(page, '[data-kpi="kpi.issued"] dd.value')).toBe("2,000");
    expect(await text(page, '[data-kpi="kpi.issued"] [data-change]')).toBe("▼ Down 60% from 5,000");
    expect(await page.locator('[data-kpi="kpi.issued"] [data-change]').getAttribute("data-change")).toBe("down");
    expect(await text(page, '[data-kpi="kpi.redeemed"] [data-change]')).toBe("▼ Down 100% from 500");
    expect(await page.locator("figure.chart details tbody tr").count()).toBe(7);
    expect(await text(page, ".showing")).toMatch(/^.+ to .+ \(7 days\), compared with .+ to .+\.$/);
    await checkPage(page, "dashboard-preset-7");

    await page.getByLabel("From").fill(activityDay);
    await page.getByLabel("To (included)").fill(activityDay);
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/start=/);
    expect(await page.locator(".showing").getAttribute("data-range")).toBe(`${activityDay}/${activityDay}`);
    expect(await text(page, '[data-kpi="kpi.issued"] dd.value')).toBe("5,000");
    expect(await text(page, '[data-kpi="kpi.redeemed"] dd.value')).toBe("500");
    expect(await page.getByLabel("From").inputValue()).toBe(activityDay);
    expect(await page.locator('.presets a[aria-current="true"]').count()).toBe(0);
    await checkPage(page, "dashboard-custom");
    await context.close();
  }, 60_000);

  it("refuses a range it cannot use, saying why at each field and keeping what was typed", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    const response = await page.goto(`${portal.base}/portal/dashboard?start=2026-02-30&end=2999-01-01`);
    expect(response?.status()).toBe(400);
    const alert = await text(page, '[role="alert"]');
    expect(alert).toContain("That date range cannot be shown, so these are the last 30 days:");
    expect(alert).toContain("The first day is not a date: write it as 2026-10-01.");
    expect(await page.getByLabel("From").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("From").inputValue()).toBe("");
    expect(await page.getByLabel("To (included)").getAttribute("aria-invalid")).toBeNull();
    await checkPage(page, "dashboard-invalid-range");

    await page.goto(`${portal.base}/portal/dashboard?start=${activityDay}&end=2999-01-01`);
    expect(await text(page, "#range-end-error")).toMatch(/^The last day cannot be after today, .+\.$/);
    expect(await page.getByLabel("From").inputValue()).toBe(activityDay);
    expect(await page.getByLabel("To (included)").inputValue()).toBe("2999-01-01");
    await context.close();
  }, 60_000);

  it("speaks Russian on a phone: the net in words, presets and errors", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example", { viewport: "phone" });
    // The language switch (a cookie), as a manager would use it.
    await page.goto(`${portal.base}/portal/lang?to=ru&back=${encodeURIComponent("/portal/dashboard")}`);
    await page.goto(`${portal.base}/portal/dashboard?days=90`);
    expect(await page.getAttribute("html", "lang")).toBe("ru");
    expect(await text(page, '[data-card="open-period"] [data-net]')).toBe("Вы должны 9,00 $");
    expect(await page.getByRole("link", { name: "Последние 90 дней" }).getAttribute("aria-current")).toBe("true");
    expect(await text(page, '[data-kpi="kpi.issued"] dd.value')).toBe("7 000");
    await checkPage(page, "dashboard-ru");
    await page.goto(`${portal.base}/portal/dashboard?start=2026-03-05&end=2026-03-01`);
    expect(await text(page, "#range-start-error")).toBe("Первый день не может быть позже последнего.");
    await checkPage(page, "dashboard-ru-invalid-range");
    await context.close();
  }, 60_000);
});
