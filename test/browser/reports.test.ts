import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { networkTables } from "../../gateway/src/domain/reports/network";
import { parseCsv } from "../support/csv";
import { operatorCredential } from "../support/gateway";
import { newKey } from "../support/ledger";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * The reports pages (issue 21, items 5 and 6): a program manager picks a range and an interval, and the charts
 * (points earned and spent, active members, promotion bonuses, points by channel and by store, the tier mix, the RFM
 * grid) redraw with the range's numbers; a bar opens the transactions behind it, whose points add up to the bar
 * across every page; each chart's CSV holds its numbers; viewers read but do not download; another partner's
 * program is not found; on a desktop and a phone, axe clean at every state.
 */
vi.setConfig({ testTimeout: 120_000 });

const dayMs = 86_400_000;
const zone = "America/Sao_Paulo";
let portal: PortalFixture;
let programId: string;
let promotionId: string;
/** The local days of the three batches of activity, 20 days apart; the last is today. */
const days: { first: string; second: string; third: string } = { first: "", second: "", third: "" };

/** The local day of the gateway's clock in the program's zone. */
const localToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(portal.gw.clock.now());

beforeAll(async () => {
  portal = await startPortal();
  const { gw, setup } = portal;
  // The fixture's closed period ends now.
  const closedUntil = gw.clock.now().toISOString();
  programId = setup.hotel.programId;
  await portal.portalUser("admin@harbor.example", "admin");
  await portal.portalUser("finance@harbor.example", "finance");
  await portal.portalUser("viewer@harbor.example", "viewer");
  await portal.portalUser("admin@skyways.example", "admin", setup.airline.owner.partner.id);
  const api = async (method: string, path: string, body?: unknown, key?: string) => {
    const answer = await gw.call(method, path, {
      token: await setup.token(),
      body,
      headers: key ? { "Idempotency-Key": key } : undefined,
    });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.text}`);
    return answer.body;
  };
  const earn = (externalId: string, points: number, place: { channel?: string; store_id?: string } = {}) =>
    api(
      "POST",
      "/v1/transactions/earn",
      { program_id: programId, external_id: externalId, points, reference: `order-${newKey()}`, ...place },
      newKey(),
    );
  await api("PATCH", `/v1/programs/${programId}`, { timezone: zone });
  await api("PUT", `/v1/programs/${programId}/tiers`, {
    qualification_window_days: 365,
    tiers: [
      { key: "blue", name: "Blue" },
      { key: "gold", name: "Gold", min_points: 3_000 },
    ],
  });
  const members = await Promise.all(["R-1", "R-2", "R-3"].map((id) => setup.hotel.enrol(id)));
  // The first batch: a promotion pays 10 points on every earn.
  ({ id: promotionId } = await api("POST", `/v1/programs/${programId}/promotions`, {
    name: "Harbor weekend",
    status: "active",
    starts_at: gw.clock.now().toISOString(),
    trigger: "earn",
    reward: { bonus_points: 10 },
  }));
  days.first = localToday();
  await earn("R-1", 1_000, { channel: "web", store_id: "S1" });
  const reversed = await earn("R-2", 2_000, { channel: "store", store_id: "S1" });
  await earn("R-3", 700, { channel: "store", store_id: "S2" });
  await api("POST", `/v1/transactions/${reversed.id}/reversals`, { points: 500 }, newKey());
  // The second: 30 small earns on the web, more than a page of the drill-down.
  gw.clock.advance(20 * dayMs);
  days.second = localToday();
  for (let n = 0; n < 30; n++) await earn(members[n % 3] as string, 10 + n, { channel: "web" });
  // The third, today: an earn in the app and a burn.
  gw.clock.advance(20 * dayMs);
  days.third = localToday();
  await earn("R-1", 400, { channel: "app" });
  await setup.hotel.move("burn", "R-1", 200, { token: await setup.token() });
  // The network: the fixture's guest converts 1,000 hotel points into 600 miles, and a period closes over it all.
  const quote = await setup.quote(1_000);
  expect((await setup.execute(quote.body.id)).status).toBe(201);
  gw.clock.advance(1000);
  const closed = await gw.call("POST", "/v1/settlement-periods", {
    token: await gw.operatorToken(),
    body: { start: closedUntil, end: gw.clock.now().toISOString() },
  });
  if (closed.status !== 201) throw new Error(`period: ${closed.text}`);
}, 120_000);
afterAll(() => portal?.close());

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? "").replace(/\s/g, " ");
/** A card's figure as a number. */
const total = async (page: Page, key: string) =>
  Number((await text(page, `[data-total="${key}"] dd.value`)).replace(/[^\d-]/g, ""));
/** The values of a chart's table column, by group key. */
async function chartValues(page: Page, chart: string, series: string) {
  const cells = page.locator(`[data-chart="${chart}"] tbody tr`);
  const values: Record<string, number> = {};
  for (const row of await cells.all()) {
    const group = (await row.getAttribute("data-group")) ?? "";
    values[group] = Number(await row.locator(`td[data-series="${series}"]`).getAttribute("data-value"));
  }
  return values;
}
/** The points of the second batch: 10 + 11 + ... + 39. */
const secondBatch = Array.from({ length: 30 }, (_, n) => 10 + n).reduce((a, b) => a + b, 0);

describe("the reports page", () => {
  it("shows the last 30 days by default and redraws for a preset and a typed range", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
    await page.waitForURL(/\/portal\/reports$/);
    expect(await page.getByRole("link", { name: "Last 30 days" }).getAttribute("aria-current")).toBe("true");
    expect(await total(page, "earned")).toBe(secondBatch + 400);
    expect(await total(page, "spent")).toBe(200);
    expect(await chartValues(page, "channels", "points")).toEqual({ web: secondBatch, app: 400 });
    // 10 points on each of the 31 earns.
    expect(await chartValues(page, "promotions", "points")).toEqual({ [promotionId]: 310 });
    await checkPage(page, "reports-default");

    await page.getByRole("link", { name: "Last 7 days" }).click();
    await page.waitForURL(/preset=7d/);
    expect(await total(page, "earned")).toBe(400);
    expect(await chartValues(page, "channels", "points")).toEqual({ app: 400 });
    expect(await page.locator('[data-chart="points"] tbody tr').count()).toBe(7);

    // Every day since the first batch (and the fixture's 5,000 to its guest), by week: the reversal nets 500 off S1.
    await page.getByLabel("From").fill(days.first);
    await page.getByLabel("To (included)").fill(days.third);
    await page.getByLabel("Interval").selectOption("week");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/interval=week/);
    const all = 5_000 + 1_000 + 2_000 - 500 + 700 + secondBatch + 400;
    expect(await total(page, "earned")).toBe(all);
    expect(await chartValues(page, "stores", "points")).toEqual({ S1: 2_500, S2: 700, "": 5_000 + secondBatch + 400 });
    const weekly = await chartValues(page, "points", "earned");
    expect(Object.values(weekly).reduce((a, b) => a + b, 0)).toBe(all);
    expect(await page.locator(".showing").getAttribute("data-range")).toBe(`${days.first}/${days.third}/week`);
    // Awarded gross, as the promotion's budget counts them: the reversal of 500 of the 2,000 takes 2 bonus points
    // back from the member, not from the promotion.
    expect(await chartValues(page, "promotions", "points")).toEqual({ [promotionId]: 340 });
    // Members without a tier at the start (the tiers came later) have a row, with none left at the end.
    expect(await chartValues(page, "tiers", "members")).toEqual({ blue: 3, gold: 1, "": 0 });
    await checkPage(page, "reports-weekly");

    await page.getByRole("link", { name: "Last 12 months" }).click();
    await page.waitForURL(/preset=12m/);
    expect(await page.getByLabel("Interval").inputValue()).toBe("month");
    expect(await page.locator('[data-chart="points"] tbody tr').count()).toBe(12);
    expect(await total(page, "earned")).toBe(all);
    await context.close();
  });

  it("refuses a range it cannot use, at each field, keeping what was typed", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    const answer = await page.goto(`${portal.base}/portal/reports?from=2026-02-30&to=${days.third}&interval=day`);
    expect(answer?.status()).toBe(400);
    expect(await text(page, '[role="alert"]')).toContain("The first day is not a date: write it as 2026-10-01.");
    expect(await page.getByLabel("From").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("To (included)").inputValue()).toBe(days.third);
    await checkPage(page, "reports-refused");
    await context.close();
  });
});

describe("drilling down from a bar", () => {
  it("lists the transactions behind a channel's bar, a page at a time, adding up to the bar", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    await page.goto(`${portal.base}/portal/reports?program=${programId}&preset=30d`);
    const bar = page
      .locator('[data-chart="channels"] svg.wide')
      .getByRole("link", { name: `Web, Points earned: ${secondBatch.toLocaleString("en-US")}. Show the transactions` });
    await bar.click();
    await page.waitForURL(/\/transactions\?/);
    expect(await total(page, "points")).toBe(secondBatch);
    expect(await total(page, "transactions")).toBe(30);
    const seen: number[] = [];
    const collect = async () => {
      for (const cell of await page.locator("table.drilldown tbody td[data-points]").all())
        seen.push(Number(await cell.getAttribute("data-points")));
    };
    await collect();
    expect(seen).toHaveLength(25);
    await checkPage(page, "reports-drilldown");
    await page.getByRole("link", { name: "Older" }).click();
    await page.waitForURL(/starting_after=/);
    await collect();
    expect(seen).toHaveLength(30);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(secondBatch);
    await page.getByRole("link", { name: "Newer" }).click();
    await page.waitForURL(/ending_before=/);
    expect(await page.locator("table.drilldown tbody tr").count()).toBe(25);
    await page.getByRole("link", { name: /^Back to the reports/ }).click();
    await page.waitForURL(/preset=30d/);
    await context.close();
  });

  it("lists an earn and its reversal behind a week's bar on a phone, netted as the bar", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example", { viewport: "phone" });
    await page.goto(`${portal.base}/portal/reports?program=${programId}&from=${days.first}&to=${days.first}`);
    const earned = 5_000 + 1_000 + 2_000 - 500 + 700;
    const bar = page.locator('[data-chart="points"] svg.narrow a[data-series="earned"]');
    expect(await bar.getAttribute("aria-label")).toContain(`Points earned: ${earned.toLocaleString("en-US")}`);
    await bar.click();
    await page.waitForURL(/measure=earned/);
    expect(await total(page, "points")).toBe(earned);
    const points = await page
      .locator("table.drilldown tbody td[data-points]")
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute("data-points"))));
    expect(points.sort((a, b) => a - b)).toEqual([-500, 700, 1_000, 2_000, 5_000]);
    await checkPage(page, "reports-drilldown-phone");
    await context.close();
  });
});

describe("drilling down from other bars", () => {
  it("lists a promotion's awards, adding up to its bar", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    await page.goto(
      `${portal.base}/portal/reports?program=${programId}&from=${days.first}&to=${days.third}&interval=month`,
    );
    await page
      .locator('[data-chart="promotions"] svg.wide')
      .getByRole("link", { name: "Harbor weekend, Bonus points: 340. Show the transactions" })
      .click();
    await page.waitForURL(/measure=promotion_bonus/);
    expect(await text(page, ".slice")).toContain("bonus points awarded, promotion Harbor weekend");
    expect(await total(page, "points")).toBe(340);
    expect(await total(page, "transactions")).toBe(34);
    const points = async () =>
      page
        .locator("table.drilldown tbody td[data-points]")
        .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute("data-points"))));
    const first = await points();
    await page.getByRole("link", { name: "Older" }).click();
    await page.waitForURL(/starting_after=/);
    const all = [...first, ...(await points())];
    expect(all).toHaveLength(34);
    expect(all.reduce((a, b) => a + b, 0)).toBe(340);
    expect(await page.locator('table.drilldown tr[data-type="bonus"]').count()).toBe(9);
    await context.close();
  });

  it("lists the movements behind a bucket's active members, counting each member once", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    await page.goto(`${portal.base}/portal/reports?program=${programId}&from=${days.second}&to=${days.second}`);
    const bar = page.locator('[data-chart="active"] svg.wide a[data-series="active"]');
    expect(await bar.getAttribute("aria-label")).toContain("Active members: 3.");
    await bar.click();
    await page.waitForURL(/measure=active/);
    expect(await total(page, "members")).toBe(3);
    expect(await total(page, "transactions")).toBe(30);
    await context.close();
  });

  it("speaks Russian on a phone", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example", { viewport: "phone" });
    await page.goto(`${portal.base}/portal/lang?to=ru&back=${encodeURIComponent("/portal/reports")}`);
    expect(await page.getAttribute("html", "lang")).toBe("ru");
    expect(await text(page, "main h1")).toBe("Отчёты");
    expect(await text(page, '[data-chart="channels"] figcaption')).toBe("Начисленные баллы по каналам (баллы)");
    await checkPage(page, "reports-ru");
    await page.locator('[data-chart="channels"] svg.narrow a').first().click();
    await page.waitForURL(/measure=earned/);
    expect(await text(page, "main h1")).toBe("Операции за столбцом");
    await checkPage(page, "reports-drilldown-ru");
    await context.close();
  });
});

describe("the charts' CSV", () => {
  it("downloads a chart's numbers with named columns", async () => {
    const { context, page } = await signedInPage(portal, "finance@harbor.example");
    await page.goto(
      `${portal.base}/portal/reports?program=${programId}&from=${days.first}&to=${days.third}&interval=week`,
    );
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV: Points earned by store" }).click(),
    ]);
    const csv = parseCsv(readFileSync((await download.path()) as string, "utf8"));
    expect(csv[0]).toEqual(["store_id", "points_earned", "transactions"]);
    expect(csv.slice(1)).toEqual([
      ["", String(5_000 + secondBatch + 400), "32"],
      ["S1", "2500", "3"],
      ["S2", "700", "1"],
    ]);
    // The activity charts' file is the API's KPI report of the range: a row a week, the columns its JSON names.
    const [kpis] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /^Download CSV: Points earned and spent per week/ }).click(),
    ]);
    const [header = [], ...weeks] = parseCsv(readFileSync((await kpis.path()) as string, "utf8"));
    expect(header.slice(0, 5)).toEqual(["start", "end", "new_members", "active_members", "points_earned"]);
    const column = (name: string) => weeks.map((row) => Number(row[header.indexOf(name)]));
    const shown = await chartValues(page, "points", "earned");
    expect(column("points_earned")).toEqual(Object.values(shown));
    expect(column("points_earned").reduce((a, b) => a + b, 0)).toBe(
      5_000 + 1_000 + 2_000 - 500 + 700 + secondBatch + 400,
    );
    expect(weeks[0]?.[0]).toBe(days.first);
    await context.close();
  });

  it("is not offered to a viewer, who still reads every number", async () => {
    const { context, page } = await signedInPage(portal, "viewer@harbor.example");
    await page.goto(`${portal.base}/portal/reports`);
    expect(await page.getByRole("link", { name: /^Download CSV/ }).count()).toBe(0);
    const refused = await page.goto(`${portal.base}/portal/reports/${programId}/channels.csv`);
    expect(refused?.status()).toBe(403);
    await context.close();
  });

  it("answers 404 for a program the partner does not own", async () => {
    const { context, page } = await signedInPage(portal, "admin@skyways.example");
    const answer = await page.goto(`${portal.base}/portal/reports?program=${programId}`);
    expect(answer?.status()).toBe(404);
    const drill = await page.goto(
      `${portal.base}/portal/reports/${programId}/transactions?measure=earned&from=${days.first}&to=${days.third}`,
    );
    expect(drill?.status()).toBe(404);
    await context.close();
  });
});

describe("the operator's network", () => {
  it("shows points between programs and money between partners, as tables, charts and CSV", async () => {
    const { setup } = portal;
    const context = await portal.newContext();
    const page = await context.newPage();
    await page.goto(`${portal.base}/portal/operator/login`);
    await page.locator('input[name="client_id"]').fill(operatorCredential.clientId);
    await page.locator('input[name="client_secret"]').fill(operatorCredential.secret);
    await Promise.all([page.waitForURL(`${portal.base}/portal/operator`), page.locator("form button").last().click()]);
    await page.getByRole("navigation", { name: "Operator pages" }).getByRole("link", { name: "Network" }).click();
    await page.waitForURL(/\/portal\/operator\/network$/);
    const pair = page.locator(`tr[data-pair="${programId}>${setup.airline.programId}"]`);
    expect(await text(page, `tr[data-pair="${programId}>${setup.airline.programId}"] th`)).toBe(
      "Harbor Rewards → SkyWays Miles",
    );
    expect(await pair.locator('[data-column="conversions"]').textContent()).toBe("1");
    expect(await pair.locator('[data-column="from_points"]').textContent()).toBe("1,000");
    expect(await pair.locator('[data-column="to_points"]').textContent()).toBe("600");
    // 600 miles at the airline's issue price of $0.015: the hotel's partner owes the airline's $9.00.
    const owed = page.locator(
      `tr[data-payer="${setup.hotel.owner.partner.id}"][data-payee="${setup.airline.owner.partner.id}"]`,
    );
    expect(await owed.locator("[data-amount-minor]").textContent()).toBe("$9.00");
    expect(await owed.locator("td").first().textContent()).toBe(
      `${setup.hotel.owner.partner.name} pays ${setup.airline.owner.partner.name}`,
    );
    expect(await page.locator('[data-chart="conversions"] svg.wide rect.bar').count()).toBe(2);
    await checkPage(page, "reports-network");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV: Points between programs" }).click(),
    ]);
    const [header = [], ...rows] = parseCsv(readFileSync((await download.path()) as string, "utf8"));
    expect(header).toEqual([...networkTables.conversions]);
    expect(rows).toEqual([
      [
        programId,
        "Harbor Rewards",
        setup.hotel.owner.partner.id,
        setup.airline.programId,
        "SkyWays Miles",
        setup.airline.owner.partner.id,
        "1",
        "1000",
        "600",
        "0",
      ],
    ]);

    // Seven days ago to yesterday: no conversion, and the range says so.
    await page.getByLabel("From").fill(days.second);
    await page.getByLabel("To (included)").fill(days.second);
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/from=/);
    expect(await page.locator('[data-empty="conversions"]').count()).toBe(1);
    await context.close();
  });

  it("is the operator's alone", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    const refused = await page.goto(`${portal.base}/portal/operator/network`);
    expect(refused?.status()).toBe(403);
    await context.close();
  });
});
