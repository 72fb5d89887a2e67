import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * The Tiers pages (issue 16, item 8): the owning partner's users see each program's tier table with its members
 * per tier, and a member's tier and progress, with numbers, money and dates in English, Portuguese and Russian;
 * the member's own page shows the member's tier; a partner with only an agreement sees none of it.
 */
let portal: PortalFixture;
/** Members of the hotel's program: Blue (no earn), Silver (1,500 earned), Gold (12,000 earned). */
let blue: string;
let silver: string;
let gold: string;
/** The Silver member's tier as the API shows it. */
let silverTier: { since: string; held_until: string };

const tiers = {
  qualification_window_days: 365,
  tiers: [
    { key: "blue", name: "Blue" },
    {
      key: "silver",
      name: "Silver",
      min_points: 1_000,
      min_purchases: 3,
      earn_bonus_bps: 1_250,
      upgrade_bonus_points: 100,
    },
    {
      key: "gold",
      name: "Gold",
      min_points: 10_000,
      min_spend_minor: 50_000,
      earn_bonus_bps: 2_500,
      upgrade_bonus_points: 1_000,
    },
  ],
};

beforeAll(async () => {
  portal = await startPortal();
  const { gw, setup } = portal;
  await portal.portalUser("viewer@harbor.example", "viewer");
  // The airline owns its own program, without tiers, and has an agreement in the hotel's.
  await portal.portalUser("admin@skyways.example", "admin", setup.airline.owner.partner.id);
  const operator = await gw.operatorToken();
  const fresh = await gw.onboardPartner({ name: "FreshCart" });
  await portal.portalUser("admin@freshcart.example", "admin", fresh.partner.id);
  for (const partnerId of [setup.airline.owner.partner.id, fresh.partner.id]) {
    const agreement = await gw.call("POST", `/v1/programs/${setup.hotel.programId}/agreements`, {
      token: operator,
      body: {
        partner_id: partnerId,
        can_earn: true,
        can_burn: true,
        issue_price_micros: 12_000,
        redeem_price_micros: 10_000,
      },
    });
    if (agreement.status !== 201) throw new Error(`agreement: ${agreement.text}`);
  }
  // The tiers put the fixture's guest (5,000 earned) in Silver; earns then move new members up.
  const put = await gw.call("PUT", `/v1/programs/${setup.hotel.programId}/tiers`, {
    token: await setup.token(),
    body: tiers,
  });
  if (put.status !== 200) throw new Error(`tiers: ${put.text}`);
  [blue, silver, gold] = [await setup.hotel.enrol(), await setup.hotel.enrol(), await setup.hotel.enrol()];
  for (const [member, points] of [
    [silver, 1_500],
    [gold, 12_000],
  ] as const) {
    const earned = await setup.hotel.move("earn", member, points);
    if (earned.status !== 201) throw new Error(`earn: ${earned.text}`);
  }
  const found = await gw.call("GET", `/v1/programs/${setup.hotel.programId}/members/${silver}`, {
    token: await setup.token(),
  });
  silverTier = found.body.tier;
  expect(silverTier).toMatchObject({ key: "silver", progress: { points_needed: 8_500, spend_minor_needed: 50_000 } });
}, 60_000);
afterAll(() => portal?.close());

/** Intl's no-break and narrow spaces (in "10 000", "12,5 %") as plain ones, so expectations read plainly. */
const plain = (value: string | null) => (value ?? "").replace(/[\u00a0\u202f]/g, " ").trim();
const text = async (page: Page, selector: string) => plain(await page.locator(selector).first().textContent());
const cell = (page: Page, tier: string, column: string) =>
  text(page, `tr[data-tier="${tier}"] [data-column="${column}"]`);

/** A day as the owner's pages write it (UTC). */
const day = (locale: string, at: string) =>
  plain(new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(at)));

/** Switches the signed-in page's language (the switch's cookie) and opens `path`. */
async function speak(page: Page, locale: string, path: string) {
  await page.goto(`${portal.base}/portal/lang?to=${locale}&back=${encodeURIComponent(path)}`);
  await page.goto(`${portal.base}${path}`);
  expect(await page.getAttribute("html", "lang")).toBe(locale);
}

describe("the Tiers page", () => {
  it("shows the owner's user each tier, its minimums and bonuses, and its members after earns moved them up", async () => {
    const { context, page } = await signedInPage(portal, "viewer@harbor.example");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tiers" }).click();
    await page.waitForURL(`${portal.base}/portal/tiers`);
    expect(await page.locator("[data-program]").count()).toBe(1);
    expect(await text(page, "main h2")).toBe("Harbor Rewards");
    expect(await text(page, '[data-card="window"] dd')).toBe("365 days");
    expect(await text(page, '[data-card="members"] dd')).toBe("4");
    const rows = page.locator("table.tiers tbody tr");
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-tier")))).toEqual([
      "blue",
      "silver",
      "gold",
    ]);
    expect(await text(page, 'tr[data-tier="gold"] th')).toBe("Gold");
    expect(await text(page, 'tr[data-tier="gold"] code')).toBe("gold");
    expect(await cell(page, "blue", "min-points")).toBe("none");
    expect(await cell(page, "silver", "min-points")).toBe("1,000");
    expect(await cell(page, "silver", "min-purchases")).toBe("3");
    expect(await cell(page, "silver", "min-spend")).toBe("none");
    expect(await cell(page, "gold", "min-points")).toBe("10,000");
    expect(await cell(page, "gold", "min-spend")).toBe("$500.00");
    expect(await cell(page, "blue", "earn-bonus")).toBe("0%");
    expect(await cell(page, "silver", "earn-bonus")).toBe("12.5%");
    expect(await cell(page, "gold", "upgrade-bonus")).toBe("1,000");
    // The guest (placed by the table) and the member who earned 1,500 in Silver; 12,000 reached Gold directly.
    expect(await cell(page, "blue", "members")).toBe("1");
    expect(await cell(page, "silver", "members")).toBe("2");
    expect(await cell(page, "gold", "members")).toBe("1");
    expect(await text(page, 'tfoot [data-column="members"]')).toBe("4");
    await checkPage(page, "tiers-en");
    await context.close();
  }, 60_000);

  it("writes numbers, money and percentages in Portuguese on a phone and in Russian", async () => {
    const { context, page } = await signedInPage(portal, "viewer@harbor.example", { viewport: "phone" });
    await speak(page, "pt-BR", "/portal/tiers");
    expect(await text(page, "main h1")).toBe("Níveis");
    expect(await text(page, '[data-card="window"] dd')).toBe("365 dias");
    expect(await cell(page, "gold", "min-points")).toBe("10.000");
    expect(await cell(page, "gold", "min-spend")).toBe("US$ 500,00");
    expect(await cell(page, "silver", "earn-bonus")).toBe("12,5%");
    expect(await cell(page, "gold", "upgrade-bonus")).toBe("1.000");
    expect(await cell(page, "blue", "min-points")).toBe("nenhum");
    // On a phone each tier is a card whose figures carry their column's name.
    expect(await page.locator('tr[data-tier="gold"] [data-column="min-spend"]').getAttribute("data-label")).toBe(
      "Gasto mínimo",
    );
    await checkPage(page, "tiers-pt-BR");

    await speak(page, "ru", "/portal/tiers");
    expect(await text(page, '[data-card="window"] dd')).toBe("365 дней");
    expect(await cell(page, "gold", "min-points")).toBe("10 000");
    expect(await cell(page, "gold", "min-spend")).toBe("500,00 $");
    expect(await cell(page, "silver", "earn-bonus")).toBe("12,5 %");
    expect(await text(page, 'tfoot [data-column="members"]')).toBe("4");
    await checkPage(page, "tiers-ru");
    await context.close();
  }, 60_000);
});

describe("a member's tier", () => {
  it("shows the owner's user a member's tier, since and until when, and what each minimum of the next still needs", async () => {
    const { context, page } = await signedInPage(portal, "viewer@harbor.example");
    await page.goto(`${portal.base}/portal/tiers`);
    await page.getByLabel("Member number").fill(silver);
    await page.getByRole("button", { name: "Show tier" }).click();
    await page.waitForURL(/\/member\?external_id=/);
    expect(await text(page, "main h1")).toBe(`Member ${silver} of Harbor Rewards`);
    expect(await text(page, '[data-tier-field="name"]')).toBe("Silver");
    expect(await text(page, '[data-tier-field="since"]')).toBe(day("en", silverTier.since));
    expect(await text(page, '[data-tier-field="held-until"]')).toBe(day("en", silverTier.held_until));
    expect(await text(page, ".member-tier p")).toBe("To reach Gold, any one of these is enough:");
    expect(await text(page, '[data-needed="points"] dd')).toBe("8,500");
    expect(await text(page, '[data-needed="spend"] dd')).toBe("$500.00");
    // Gold has no minimum of purchases, so none is asked for.
    expect(await page.locator('[data-needed="purchases"]').count()).toBe(0);
    await checkPage(page, "tiers-member");

    // The top tier, and the entry tier (not held: nothing to show until when).
    await page.getByLabel("Member number").fill(gold);
    await page.getByRole("button", { name: "Show tier" }).click();
    await page.waitForURL(new RegExp(`external_id=${gold}`));
    expect(await text(page, '[data-needed="top"]')).toBe("Gold is the highest tier.");
    await page.goto(`${portal.base}/portal/tiers/${portal.setup.hotel.programId}/member?external_id=${blue}`);
    expect(await text(page, '[data-tier-field="name"]')).toBe("Blue");
    expect(await page.locator('[data-tier-field="held-until"]').count()).toBe(0);
    expect(await text(page, '[data-needed="purchases"] dd')).toBe("3");

    await speak(page, "ru", `/portal/tiers/${portal.setup.hotel.programId}/member?external_id=${silver}`);
    expect(await text(page, '[data-needed="points"] dd')).toBe("8 500");
    expect(await text(page, '[data-needed="spend"] dd')).toBe("500,00 $");
    expect(await text(page, '[data-tier-field="since"]')).toBe(day("ru", silverTier.since));
    await checkPage(page, "tiers-member-ru");
    await context.close();
  }, 60_000);

  it("says beside the field that a number is no member of the program, keeping it", async () => {
    const { context, page } = await signedInPage(portal, "viewer@harbor.example");
    const response = await page.goto(
      `${portal.base}/portal/tiers/${portal.setup.hotel.programId}/member?external_id=NOBODY-1`,
    );
    expect(response?.status()).toBe(404);
    expect(await text(page, ".error-summary li")).toBe("Harbor Rewards has no member NOBODY-1: check the number.");
    expect(await page.getByLabel("Member number").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Member number").inputValue()).toBe("NOBODY-1");
    await checkPage(page, "tiers-member-unknown");
    const empty = await page.goto(`${portal.base}/portal/tiers/${portal.setup.hotel.programId}/member?external_id=`);
    expect(empty?.status()).toBe(400);
    expect(await text(page, ".error-summary li")).toBe("Type a member number.");
    await context.close();
  }, 60_000);

  it("is on the member's own page in a program with tiers, in the member's language, and absent without tiers", async () => {
    const { gw, setup } = portal;
    const open = async (programId: string, externalId: string, token: string, locale: string) => {
      const opened = await gw.call("POST", "/v1/member-sessions", {
        token,
        body: { program_id: programId, external_id: externalId },
      });
      expect(opened.status).toBe(201);
      const context = await portal.newContext({ viewport: "phone", locale });
      const page = await context.newPage();
      await page.goto(opened.body.url.replace(/^https?:\/\/[^/]+/, portal.base));
      return { context, page };
    };
    const hotel = await open(setup.hotel.programId, silver, await setup.token(), "pt-BR");
    expect(await text(hotel.page, "#member-tier")).toBe("Seu nível");
    expect(await text(hotel.page, '[data-tier-field="name"]')).toBe("Silver");
    expect(await text(hotel.page, '[data-tier-field="held-until"]')).toBe(day("pt-BR", silverTier.held_until));
    expect(await text(hotel.page, ".member-tier p")).toBe("Para chegar a Gold, basta um destes:");
    expect(await text(hotel.page, '[data-needed="points"] dd')).toBe("8.500");
    expect(await text(hotel.page, '[data-needed="spend"] dd')).toBe("US$ 500,00");
    await checkPage(hotel.page, "tiers-member-own-page");
    await hotel.context.close();

    const airlineToken = await gw.token(setup.airline.owner.clientId, setup.airline.owner.secret);
    const airline = await open(setup.airline.programId, setup.flyer, airlineToken, "en-US");
    expect(await text(airline.page, "main h1")).toBe("Convert your points");
    expect(await airline.page.locator(".member-tier").count()).toBe(0);
    await airline.context.close();
  }, 60_000);
});

describe("partners that do not own the program", () => {
  it("see their own programs' tiers only: no tiers yet says how to set them, and the other program's pages are 404", async () => {
    const { context, page } = await signedInPage(portal, "admin@skyways.example");
    await page.goto(`${portal.base}/portal/tiers`);
    expect(await page.locator("[data-program]").count()).toBe(1);
    expect(await text(page, "main h2")).toBe("SkyWays Miles");
    expect(await text(page, `[data-empty="${portal.setup.airline.programId}"] code`)).toBe(
      `PUT /v1/programs/${portal.setup.airline.programId}/tiers`,
    );
    expect(await page.getByText("Harbor Rewards").count()).toBe(0);
    await checkPage(page, "tiers-empty");
    const other = await page.goto(
      `${portal.base}/portal/tiers/${portal.setup.hotel.programId}/member?external_id=${silver}`,
    );
    expect(other?.status()).toBe(404);
    expect(await page.locator(".member-tier").count()).toBe(0);
    await context.close();
  }, 60_000);

  it("a partner with an agreement only and no program of its own sees no tiers at all", async () => {
    const { context, page } = await signedInPage(portal, "admin@freshcart.example");
    await page.goto(`${portal.base}/portal/tiers`);
    expect(await text(page, "main p")).toBe(
      "Your company does not run a program of its own, so it has no tiers to show.",
    );
    expect(await page.locator("[data-program]").count()).toBe(0);
    await checkPage(page, "tiers-no-program");
    const other = await page.goto(
      `${portal.base}/portal/tiers/${portal.setup.hotel.programId}/member?external_id=${gold}`,
    );
    expect(other?.status()).toBe(404);
    await context.close();
  }, 60_000);
});
