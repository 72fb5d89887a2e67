import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newKey } from "../support/ledger";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * The Promotions and Campaigns pages (issue 18): the owning partner's users see each program's promotions with their
 * budget, a promotion's performance with the same figures as GET /v1/promotions/{id}/performance (treatment and
 * control, uplift and its interval, cost, return) and its awards per day as a chart, and the campaigns with their
 * promotions and response against the expected one as GET /v1/campaigns/{id}/performance answers them; in English,
 * Portuguese and Russian; a partner that does not own the program sees none of it.
 */
vi.setConfig({ testTimeout: 120_000 }); // axe-core runs twice a page

let portal: PortalFixture;
const dayMs = 86_400_000;
type Performance = {
  treatment: { members: number; earns: number; spend_minor: number; points_awarded: number };
  control: { members: number; earns: number; spend_minor: number };
  uplift_pct: number | null;
  uplift_ci95: [number, number] | null;
  cost: { amount_minor: number; currency: string };
  roi: number | null;
  budget: { points: number | null; used: number };
};
let promotion: { id: string; name: string };
let later: { id: string; name: string };
let campaign: { id: string; name: string };

beforeAll(async () => {
  portal = await startPortal();
  const { gw, setup } = portal;
  await portal.portalUser("admin@harbor.example", "admin");
  await portal.portalUser("viewer@harbor.example", "viewer");
  // The airline owns its own program and has an agreement in the hotel's.
  await portal.portalUser("admin@skyways.example", "admin", setup.airline.owner.partner.id);
  const agreement = await gw.call("POST", `/v1/programs/${setup.hotel.programId}/agreements`, {
    token: await gw.operatorToken(),
    body: {
      partner_id: setup.airline.owner.partner.id,
      can_earn: true,
      can_burn: true,
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
    },
  });
  if (agreement.status !== 201) throw new Error(`agreement: ${agreement.text}`);
  const api = async (method: string, path: string, body?: unknown) => {
    const answer = await gw.call(method, path, { token: await setup.token(), body });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.text}`);
    return answer.body;
  };
  const members = await Promise.all(Array.from({ length: 100 }, (_, n) => setup.hotel.enrol(`PRO-${n}`)));
  const list = await api("POST", `/v1/programs/${setup.hotel.programId}/segments`, {
    name: "Spring mailing",
    type: "static",
  });
  await api("POST", `/v1/segments/${list.id}/members`, { external_ids: members.slice(0, 40) });
  campaign = await api("POST", `/v1/programs/${setup.hotel.programId}/campaigns`, {
    name: "Spring relaunch",
    status: "active",
    actual_start: gw.clock.now().toISOString(),
    expected_response_pct: 25,
    segment_ids: [list.id],
  });
  const program = `/v1/programs/${setup.hotel.programId}/promotions`;
  promotion = await api("POST", program, {
    name: "Double weekend points",
    status: "active",
    starts_at: gw.clock.now().toISOString(),
    trigger: "earn",
    reward: { bonus_points: 10 },
    limits: { budget_points: 50_000 },
    control_group_bps: 5_000,
    campaign_id: campaign.id,
  });
  later = await api("POST", program, {
    name: "Autumn challenge",
    status: "draft",
    starts_at: new Date(gw.clock.now().getTime() + 30 * dayMs).toISOString(),
    trigger: "challenge",
    challenge: { earns: 3 },
    reward: { bonus_points: 500 },
    campaign_id: campaign.id,
  });
  // Three days of purchases; a third of the members buy twice as much.
  for (let day = 0; day < 3; day++) {
    gw.clock.advance(dayMs);
    for (const [n, member] of members.entries()) {
      if ((n + day) % 2 === 0) continue;
      const earned = await gw.call("POST", "/v1/transactions/earn", {
        token: await setup.token(),
        headers: { "Idempotency-Key": newKey() },
        body: {
          program_id: setup.hotel.programId,
          external_id: member,
          purchase: { amount_minor: (n % 3 === 0 ? 2_000 : 1_000) + n, currency: "USD" },
          reference: `order-${day}-${n}`,
        },
      });
      if (earned.status !== 201) throw new Error(`earn: ${earned.text}`);
    }
  }
}, 180_000);
afterAll(() => portal?.close());

/** Intl's no-break and narrow spaces as plain ones, so expectations read plainly. */
const plain = (value: string | null) => (value ?? "").replace(/[\u00a0\u202f]/g, " ").trim();
const text = async (page: Page, selector: string) => plain(await page.locator(selector).first().textContent());

async function performance(): Promise<Performance> {
  const { gw, setup } = portal;
  const answer = await gw.call("GET", `/v1/promotions/${promotion.id}/performance`, { token: await setup.token() });
  expect(answer.status).toBe(200);
  return answer.body;
}

/** A signed percentage as the pages write it. */
const signed = (locale: string, ratio: number) =>
  plain(
    new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(
      ratio,
    ),
  );
const money = (locale: string, minor: number) =>
  plain(new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }).format(minor / 100));
const number = (locale: string, value: number) => plain(new Intl.NumberFormat(locale).format(value));

/** Switches the signed-in page's language (the switch's cookie) and opens `path`. */
async function speak(page: Page, locale: string, path: string) {
  await page.goto(`${portal.base}/portal/lang?to=${locale}&back=${encodeURIComponent(path)}`);
  await page.goto(`${portal.base}${path}`);
  expect(await page.getAttribute("html", "lang")).toBe(locale);
}

describe("the Promotions and Campaigns pages", () => {
  it("lists the owner's promotions with status, budget used and control group, linking to each", async () => {
    const { page, context } = await signedInPage(portal, "viewer@harbor.example");
    await page.goto(`${portal.base}/portal/promotions`);
    const measured = await performance();
    const row = `tr[data-promotion="${promotion.id}"]`;
    expect(await text(page, `${row} [data-column="status"]`)).toBe("Active");
    expect(await text(page, `${row} [data-column="budget"]`)).toBe(
      `${number("en", measured.budget.used)} of ${number("en", 50_000)}`,
    );
    expect(await text(page, `${row} [data-column="control"]`)).toBe("50%");
    expect(await text(page, `tr[data-promotion="${later.id}"] [data-column="budget"]`)).toBe("0 (no budget)");
    expect(await text(page, `tr[data-promotion="${later.id}"] [data-column="status"]`)).toBe("Draft");
    await checkPage(page, "promotions-list");
    await page.getByRole("link", { name: "Double weekend points" }).click();
    await page.waitForURL(`${portal.base}/portal/promotions/${promotion.id}`);
    // One menu entry for both pages: the campaigns are a link away, and the entry stays current.
    await page.goto(`${portal.base}/portal/promotions`);
    await page
      .getByRole("navigation", { name: "Promotions and campaigns" })
      .getByRole("link", { name: "Campaigns" })
      .click();
    await page.waitForURL(`${portal.base}/portal/promotions/campaigns`);
    const menu = page.getByRole("navigation", { name: "Main" });
    expect(await menu.getByRole("link", { name: "Promotions" }).getAttribute("aria-current")).toBe("page");
    await context.close();
  });

  it("shows a promotion's performance as the API answers it, with its awards per day", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    await page.goto(`${portal.base}/portal/promotions/${promotion.id}`);
    const measured = await performance();
    expect(measured.treatment.members + measured.control.members).toBe(100);
    const group = (name: string, column: string) => text(page, `tr[data-group="${name}"] [data-column="${column}"]`);
    expect(await group("treatment", "members")).toBe(number("en", measured.treatment.members));
    expect(await group("control", "members")).toBe(number("en", measured.control.members));
    expect(await group("treatment", "earns")).toBe(number("en", measured.treatment.earns));
    expect(await group("control", "spend")).toBe(money("en", measured.control.spend_minor));
    expect(await group("treatment", "awarded")).toBe(number("en", measured.treatment.points_awarded));
    expect(measured.treatment.points_awarded).toBe(10 * measured.treatment.earns);
    expect(await text(page, '[data-card="cost"] dd')).toBe(money("en", measured.cost.amount_minor));
    expect(await text(page, '[data-card="uplift"] dd')).toBe(
      measured.uplift_pct === null ? "Not known yet" : signed("en", measured.uplift_pct / 100),
    );
    expect(await text(page, '[data-card="roi"] dd')).toBe(
      measured.roi === null ? "Not known yet" : signed("en", measured.roi),
    );
    const interval = await text(page, "p[data-interval]");
    if (measured.uplift_ci95)
      expect(interval).toContain(
        `${signed("en", measured.uplift_ci95[0] / 100)} to ${signed("en", measured.uplift_ci95[1] / 100)}`,
      );
    else expect(interval).toMatch(/^No interval yet/);
    // The chart: a bar a day from the start (the start's day and three more), the awards in all in its legend.
    expect(await page.locator("figure.chart svg.wide rect.awarded").count()).toBe(4);
    expect(await text(page, "figure.chart .legend li")).toBe(
      `Awarded: ${number("en", measured.treatment.points_awarded)} in total`,
    );
    expect(await text(page, "figure.chart tfoot td")).toBe(number("en", measured.treatment.points_awarded));
    await checkPage(page, "promotion-performance");
    // One that has not started has no chart, and says so.
    await page.goto(`${portal.base}/portal/promotions/${later.id}`);
    expect(await page.locator("[data-empty='days']").count()).toBe(1);
    expect(await text(page, "p[data-interval]")).toMatch(/^No interval yet/);
    await context.close();
  });

  it("lists the campaigns with their promotions and response against the expected one", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    await page.goto(`${portal.base}/portal/promotions/campaigns`);
    const { gw, setup } = portal;
    const answer = await gw.call("GET", `/v1/campaigns/${campaign.id}/performance`, { token: await setup.token() });
    const measured = answer.body;
    expect(measured.targeted_members).toBe(40);
    expect(measured.responders).toBe(40);
    const cell = (column: string) => text(page, `tr[data-campaign="${campaign.id}"] [data-column="${column}"]`);
    expect(await cell("status")).toBe("Active");
    expect(await cell("targeted")).toBe("40");
    expect(await cell("responders")).toBe("40");
    expect(await cell("response")).toBe("100% / 25%");
    expect(await cell("cost")).toBe(money("en", measured.cost.amount_minor));
    expect(await cell("promotions")).toContain(
      `Double weekend points (${number("en", measured.promotions[0].points_awarded)})`,
    );
    expect(await cell("promotions")).toContain("Autumn challenge (0)");
    await checkPage(page, "campaigns");
    await page.getByRole("link", { name: "Autumn challenge" }).click();
    await page.waitForURL(`${portal.base}/portal/promotions/${later.id}`);
    await context.close();
  });

  it("speaks Portuguese and Russian", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    const measured = await performance();
    await speak(page, "pt-BR", `/portal/promotions/${promotion.id}`);
    expect(await text(page, "h1")).toBe("Promoção: Double weekend points");
    expect(await text(page, '[data-card="cost"] dd')).toBe(money("pt-BR", measured.cost.amount_minor));
    expect(await text(page, 'tr[data-group="control"] th')).toBe("Controle (fica de fora)");
    await speak(page, "ru", "/portal/promotions/campaigns");
    expect(await text(page, "h1")).toBe("Кампании");
    expect(await text(page, `tr[data-campaign="${campaign.id}"] [data-column="status"]`)).toBe("Идёт");
    await checkPage(page, "campaigns-ru");
    await speak(page, "ru", "/portal/promotions");
    expect(await text(page, `tr[data-promotion="${later.id}"] [data-column="budget"]`)).toBe("0 (без бюджета)");
    await context.close();
  });

  it("shows another partner none of the hotel's promotions or campaigns, agreement or not (404)", async () => {
    const { page, context } = await signedInPage(portal, "admin@skyways.example");
    await page.goto(`${portal.base}/portal/promotions`);
    expect(await page.locator(`tr[data-promotion="${promotion.id}"]`).count()).toBe(0);
    expect(await page.locator("[data-empty='promotions']").count()).toBe(1);
    await checkPage(page, "promotions-empty");
    await page.goto(`${portal.base}/portal/promotions/campaigns`);
    expect(await page.locator(`tr[data-campaign="${campaign.id}"]`).count()).toBe(0);
    expect(await page.locator("[data-empty='campaigns']").count()).toBe(1);
    const refused = await page.goto(`${portal.base}/portal/promotions/${promotion.id}`);
    expect(refused?.status()).toBe(404);
    await context.close();
  });
});
