import jsQR from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupConversion } from "../support/conversions";
import { newKey } from "../support/ledger";
import { checkPage, type Page, type PortalFixture, startPortal } from "../support/portal";

/**
 * A member's own pages on a phone (390x844), in the member's language whatever the browser's: home (balance,
 * the points that will expire, tier and progress), the history paged by cursor, the challenges, the card's QR
 * code read back from a screenshot; moving between them with the keyboard alone; and what a token may not open.
 */
let portal: PortalFixture;
beforeAll(async () => {
  portal = await startPortal();
}, 60_000);
afterAll(() => portal?.close());

const dayMs = 86_400_000;
const earns = 25;

/**
 * A hotel program whose points expire after a year, with tiers and a challenge, and a member of it with a name,
 * a locale, a linked card and 25 earns a day apart (so 12 lots still to expire show).
 */
async function memberWorld(locale: string, name: string) {
  const { gw } = portal;
  const world = await setupConversion(gw, {}, { points_expire_after_days: 365 });
  const { hotel } = world;
  // Access tokens live on the clock these earns move a day at a time: a fresh one for every call.
  let token = await world.token();
  const tiers = await gw.call("PUT", `/v1/programs/${hotel.programId}/tiers`, {
    token,
    body: {
      tiers: [
        { key: "member", name: "Member", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
        {
          key: "silver",
          name: "Silver",
          min_points: 10_000,
          min_purchases: 40,
          earn_bonus_bps: 0,
          upgrade_bonus_points: 0,
        },
      ],
    },
  });
  expect(tiers.status, tiers.text).toBe(200);
  const challenge = await gw.call("POST", `/v1/programs/${hotel.programId}/promotions`, {
    token,
    body: {
      name: "Thirty visits",
      status: "active",
      starts_at: gw.clock.now().toISOString(),
      trigger: "challenge",
      challenge: { earns: 30 },
      reward: { bonus_points: 500 },
    },
  });
  expect(challenge.status, challenge.text).toBe(201);
  const externalId = `MP-${newKey()}`;
  const enrolled = await gw.call("POST", `/v1/programs/${hotel.programId}/members`, {
    token,
    body: { external_id: externalId, name, locale },
  });
  expect(enrolled.status).toBe(201);
  for (let n = 1; n <= earns; n++) {
    gw.clock.advance(dayMs);
    token = await world.token();
    expect((await hotel.move("earn", externalId, 100 + n, { token })).status).toBe(201);
  }
  const card = await gw.call("POST", `/v1/programs/${hotel.programId}/members/${externalId}/cards`, {
    token,
    body: { number: `7000-${externalId.slice(-8)}` },
  });
  expect(card.status, card.text).toBe(201);
  const read = async (path: string) =>
    (
      await gw.call("GET", `/v1/programs/${hotel.programId}/members/${externalId}${path}`, {
        token: await world.token(),
      })
    ).body;
  const member = () => read("");
  const transactions = async () =>
    (await read("/transactions?limit=100")).data.map((transaction: { id: string }) => transaction.id);
  const challenges = async () => (await read("/challenges")).data;
  return { world, externalId, card: card.body.number as string, member, transactions, challenges };
}

type MemberWorld = Awaited<ReturnType<typeof memberWorld>>;

/** Opens the member's pages as the partner's app would, in a phone browser speaking `browserLocale`. */
async function openPages(world: MemberWorld, options: { timezone: string; browserLocale: string }) {
  const opened = await portal.gw.call("POST", "/v1/member-sessions", {
    token: await world.world.token(),
    body: { program_id: world.world.hotel.programId, external_id: world.externalId, timezone: options.timezone },
  });
  expect(opened.status).toBe(201);
  const url: string = opened.body.url.replace(/^https?:\/\/[^/]+/, portal.base);
  const context = await portal.newContext({ viewport: "phone", locale: options.browserLocale });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return { page, url, context };
}

/** Intl's no-break spaces as plain ones, so expectations read plainly. */
const plain = (value: string | null) => (value ?? "").replace(/[\u00a0\u202f]/g, " ").trim();
const text = async (page: Page, selector: string) => plain(await page.locator(selector).textContent());
const texts = async (page: Page, selector: string) => (await page.locator(selector).allTextContents()).map(plain);

/**
 * Moves to the link named `name` with Tab alone (from the top of the page: skip link, nav, content), checks that
 * its focus shows, and follows it with Enter; answers the response of the page it opened.
 */
async function keyboardTo(page: Page, name: string) {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (element?.tagName !== "A") return undefined;
      const style = getComputedStyle(element);
      return {
        text: element.textContent?.trim(),
        href: (element as HTMLAnchorElement).href,
        outline: style.outlineStyle,
      };
    });
    if (focused?.text !== name) continue;
    expect(focused.outline, `the focus on ${name} shows`).toBe("solid");
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.url() === focused.href && answer.request().isNavigationRequest()),
      page.waitForURL(focused.href),
      page.keyboard.press("Enter"),
    ]);
    return response;
  }
  throw new Error(`Tab never reached a link named ${name}`);
}

const words = {
  en: {
    nav: ["Home", "History", "Rewards", "Transfer", "Challenges", "Card"],
    titles: { home: "Convert your points", history: "Your history", challenges: "Your challenges", card: "Your card" },
    older: "Older",
    newer: "Newer",
    points: "Points",
    purchases: "Purchases",
    of: "of",
    qr: (name: string, number: string) => `QR code of the Harbor Rewards card of ${name}, number ${number}`,
  },
  "pt-BR": {
    nav: ["Início", "Histórico", "Recompensas", "Transferir", "Desafios", "Cartão"],
    titles: { home: "Converta seus pontos", history: "Seu histórico", challenges: "Seus desafios", card: "Seu cartão" },
    older: "Anteriores",
    newer: "Mais recentes",
    points: "Pontos",
    purchases: "Compras",
    of: "de",
    qr: (name: string, number: string) => `Código QR do cartão Harbor Rewards de ${name}, número ${number}`,
  },
  ru: {
    nav: ["Главная", "История", "Награды", "Передать", "Задания", "Карта"],
    titles: { home: "Конвертация баллов", history: "История операций", challenges: "Ваши задания", card: "Ваша карта" },
    older: "Более ранние",
    newer: "Более поздние",
    points: "Баллы",
    purchases: "Покупки",
    of: "из",
    qr: (name: string, number: string) => `QR-код карты Harbor Rewards, владелец ${name}, номер ${number}`,
  },
} as const;

const journeys = [
  { locale: "en", memberLocale: "en-GB", name: "Grace Hopper", timezone: "America/New_York", browser: "ru-RU" },
  { locale: "pt-BR", memberLocale: "pt", name: "Ana Souza", timezone: "America/Sao_Paulo", browser: "en-US" },
  { locale: "ru", memberLocale: "ru-RU", name: "Ирина Петрова", timezone: "Europe/Moscow", browser: "pt-BR" },
] as const;

describe("a member's own pages on a phone", () => {
  for (const journey of journeys) {
    it(`in ${journey.locale}: home, history pages, challenges and the card, moving by keyboard alone`, async () => {
      const say = words[journey.locale];
      const world = await memberWorld(journey.memberLocale, journey.name);
      const { page, context } = await openPages(world, { timezone: journey.timezone, browserLocale: journey.browser });
      const number = (value: number) => plain(new Intl.NumberFormat(journey.locale).format(value));
      const day = (iso: string) =>
        plain(
          new Intl.DateTimeFormat(journey.locale, { dateStyle: "medium", timeZone: journey.timezone }).format(
            new Date(iso),
          ),
        );

      // Home: the member's language (not the browser's), the balance, the points that will expire and when, the tier.
      expect(await page.getAttribute("html", "lang")).toBe(journey.locale);
      expect(await text(page, "main h1")).toBe(say.titles.home);
      expect(await texts(page, ".member-nav a")).toEqual(say.nav);
      expect(await page.locator('.member-nav a[aria-current="page"]').textContent()).toBe(say.nav[0]);
      const member = await world.member();
      expect(await text(page, '[data-balance="available"]')).toBe(number(member.balance.available));
      expect(await text(page, '[data-balance="pending"]')).toBe(number(member.balance.pending));
      const lots: { points: number; expires_at: string }[] = member.balance.expiring;
      expect(lots.length).toBe(12);
      expect(await texts(page, ".member-expiring dt")).toEqual(lots.map((lot) => day(lot.expires_at)));
      const lotPoints = await texts(page, ".member-expiring dd");
      expect(lotPoints.map((said) => said.replace(/\D/g, ""))).toEqual(lots.map((lot) => String(lot.points)));
      expect(await text(page, '[data-tier-field="name"]')).toBe("Member");
      const points = member.tier.progress.points_needed;
      expect(await text(page, '[data-progress="tier-points"] span')).toBe(
        `${say.points}: ${number(10_000 - points)} ${say.of} ${number(10_000)}`,
      );
      const bar = page.locator('[data-progress="tier-points"] progress');
      expect([await bar.getAttribute("value"), await bar.getAttribute("max")]).toEqual([
        String(10_000 - points),
        "10000",
      ]);
      expect(await page.getByRole("progressbar", { name: `${say.purchases}: ${earns}`, exact: false }).count()).toBe(1);
      expect(await page.locator(`[data-destination="${world.world.airline.programId}"] form`).count()).toBe(1);
      await checkPage(page, `member-pages-home-${journey.locale}`);

      // History, by keyboard: newest first, pages of 10 by cursor, Older then Newer, each line once.
      const history = await keyboardTo(page, say.nav[1]);
      expect(history.status()).toBe(200);
      expect(await text(page, "main h1")).toBe(say.titles.history);
      expect(await page.locator('.member-nav a[aria-current="page"]').textContent()).toBe(say.nav[1]);
      const rows = () =>
        page.locator("tr[data-transaction]").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-transaction")));
      const expected = await world.transactions();
      const seen: (string | null)[][] = [await rows()];
      await checkPage(page, `member-pages-history-${journey.locale}`);
      while (await page.getByRole("link", { name: say.older }).count()) {
        expect((await keyboardTo(page, say.older)).status()).toBe(200);
        seen.push(await rows());
      }
      expect(seen.map((lines) => lines.length)).toEqual([10, 10, expected.length - 20]);
      expect(seen.flat()).toEqual(expected);
      expect(new Set(seen.flat()).size).toBe(expected.length);
      expect((await keyboardTo(page, say.newer)).status()).toBe(200);
      expect(await rows()).toEqual(seen[1]);
      const firstLine = page.locator("tr[data-transaction]").first();
      expect(plain(await firstLine.locator("td").first().textContent())).toMatch(/^\+\d+$/);

      // Challenges: the challenge in force with its progress.
      expect((await keyboardTo(page, say.nav[4])).status()).toBe(200);
      expect(await text(page, "main h1")).toBe(say.titles.challenges);
      const [challenge] = await world.challenges();
      expect(await text(page, `[data-challenge="${challenge.promotion_id}"] h2`)).toBe("Thirty visits");
      const progress = page.getByRole("progressbar", {
        name: `${say.purchases}: ${number(challenge.progress.earns)} ${say.of} ${number(30)}`,
      });
      expect(await progress.getAttribute("value")).toBe(String(challenge.progress.earns));
      await checkPage(page, `member-pages-challenges-${journey.locale}`);

      // The card: the linked card's number as a QR code of at least 80 px, read back from a screenshot.
      expect((await keyboardTo(page, say.nav[5])).status()).toBe(200);
      expect(await text(page, "main h1")).toBe(say.titles.card);
      const qr = page.getByRole("img", { name: say.qr(journey.name, world.card) });
      const box = await qr.boundingBox();
      expect(box?.width).toBeGreaterThanOrEqual(200);
      expect(box?.height).toBeGreaterThanOrEqual(200);
      const png = PNG.sync.read(await qr.screenshot());
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(world.card);
      expect(await text(page, '[data-card-field="number"]')).toBe(world.card);
      expect(await text(page, '[data-card-field="name"]')).toBe(journey.name);
      await checkPage(page, `member-pages-card-${journey.locale}`);

      // The rewards and transfer pages are in the nav too, and Home leads back.
      for (const name of [say.nav[2], say.nav[3], say.nav[0]]) {
        expect((await keyboardTo(page, name)).status(), name).toBe(200);
        expect(await page.locator('.member-nav a[aria-current="page"]').textContent()).toBe(name);
      }
      expect(await text(page, "main h1")).toBe(say.titles.home);
      await context.close();
    }, 120_000);
  }
});

describe("what a member's link opens", () => {
  it("opens nothing of another member's, and says an expired link has expired", async () => {
    const { gw, setup } = portal;
    const first = await setup.quote(1_000);
    expect(first.status).toBe(201);
    const executed = await setup.execute(first.body.id);
    expect(executed.status).toBe(201);
    const other = await setup.hotel.enrol(undefined, await setup.token());
    expect((await setup.hotel.move("earn", other, 10, { token: await setup.token() })).status).toBe(201);
    const opened = await gw.call("POST", "/v1/member-sessions", {
      token: await setup.token(),
      body: { program_id: setup.hotel.programId, external_id: other },
    });
    const url: string = opened.body.url.replace(/^https?:\/\/[^/]+/, portal.base);
    const context = await portal.newContext({ viewport: "phone" });
    const page = await context.newPage();
    const foreign = await page.goto(`${url}/conversions/${executed.body.id}`);
    expect(foreign?.status()).toBe(404);
    expect(await page.locator("main").textContent()).not.toContain(executed.body.id);
    await page.goto(`${url}/history`);
    expect(await page.locator("tr[data-transaction]").count()).toBe(1);
    await checkPage(page, "member-pages-foreign");

    gw.clock.advance(16 * 60_000);
    for (const path of ["", "/history", "/challenges", "/card"]) {
      const expired = await page.goto(`${url}${path}`);
      expect(expired?.status(), path).toBe(404);
      expect(await page.locator("main").textContent()).toContain("This page has expired. Open it again from the app.");
    }
    await checkPage(page, "member-pages-expired");
    await context.close();
  }, 60_000);
});
