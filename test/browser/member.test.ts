import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupConversion } from "../support/conversions";
import { checkPage, type Page, type PortalFixture, startPortal, type viewports } from "../support/portal";

/**
 * The hosted member conversion page as a member sees it, on a phone first: the program's brand, each
 * destination's limits before typing, the quote in words with its countdown, a receipt (a held conversion as
 * pending, a rejected one explained), an expired quote, times in the member's time zone, three languages.
 */
let portal: PortalFixture;
beforeAll(async () => {
  portal = await startPortal();
}, 60_000);
afterAll(() => portal?.close());

type World = Awaited<ReturnType<typeof setupConversion>>;

/** Opens the member's hosted page (as the partner's app would) in a new browser context. */
async function memberPage(
  world: World,
  options: { timezone?: string; locale?: string; viewport?: keyof typeof viewports } = {},
) {
  const opened = await portal.gw.call("POST", "/v1/member-sessions", {
    token: await world.token(),
    body: {
      program_id: world.hotel.programId,
      external_id: world.guest,
      ...(options.timezone && { timezone: options.timezone }),
    },
  });
  expect(opened.status).toBe(201);
  const url: string = opened.body.url.replace(/^https?:\/\/[^/]+/, portal.base);
  const context = await portal.newContext({ viewport: options.viewport ?? "phone", locale: options.locale });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000); // a missing element fails its step, within the test's time
  await page.goto(url);
  return { page, url, context };
}

/** Intl's no-break spaces (in "2 000", "4:52 PM") as plain ones, so expectations can be written plainly. */
const plain = (value: string) => value.replace(/[\u00a0\u202f]/g, " ");
const text = async (page: Page, selector: string) => plain((await page.locator(selector).textContent()) ?? "").trim();

/** Fills one destination's form and asks for a quote. */
async function askQuote(page: Page, world: World, labels: { number: RegExp; points: RegExp }, values: string[]) {
  const form = page.locator(`[data-destination="${world.airline.programId}"]`);
  await form.getByLabel(labels.number).fill(values[0] ?? "");
  await form.getByLabel(labels.points).fill(values[1] ?? "");
  await form.getByRole("button").click();
  await page.waitForLoadState();
}

const english = { number: /member number/, points: /Points to convert/ };

describe("the hosted member conversion page", () => {
  it("lets a member convert on a phone: brand, limits, quote with countdown, receipt (UTC without a time zone)", async () => {
    const world = portal.setup;
    const { page, url, context } = await memberPage(world);
    expect(await page.title()).toBe("Convert your points · Harbor Rewards");
    expect(await text(page, "header .brand")).toBe("Harbor Rewards");
    expect(await page.locator("header nav[aria-label=Main]").count()).toBe(0);
    const available = Number((await text(page, '[data-balance="available"]'))?.replaceAll(",", ""));
    const max = available - (available % 1000);
    expect(await text(page, `[data-limits="${world.airline.programId}"]`)).toBe(
      `Minimum 1,000, in steps of 1,000, up to ${max.toLocaleString("en")} (your balance).`,
    );
    const points = page.getByLabel(english.points);
    expect(
      await points.evaluate((input) => [
        input.getAttribute("min"),
        input.getAttribute("step"),
        input.getAttribute("max"),
      ]),
    ).toEqual(["1000", "1000", String(max)]);
    await checkPage(page, "member-start");

    await askQuote(page, world, english, [world.flyer, "2000"]);
    expect(new URL(page.url()).pathname).toMatch(/\/quotes\/qt_/);
    expect(await text(page, '[data-quote="sentence"]')).toBe(
      "You give 2,000 Harbor Rewards points and get 1,200 SkyWays Miles points (fee: 0).",
    );
    const expires = new Date(portal.gw.clock.now().getTime() + 60_000);
    const time = new Intl.DateTimeFormat("en", {
      hour: "numeric",
      minute: "2-digit",
      second: "2-digit",
      timeZone: "UTC",
    }).format(expires);
    expect(await text(page, '[data-quote="expires"]')).toBe(plain(`This offer holds until ${time} UTC.`));
    expect(await page.getByRole("img", { name: "Time left to confirm: 60 seconds" }).count()).toBe(1);
    expect(await page.locator("svg animate").getAttribute("dur")).toBe("60s");
    await checkPage(page, "member-quote");

    await page.getByRole("button", { name: "Confirm conversion" }).click();
    await page.waitForURL(/\/conversions\/cnv_/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Conversion complete");
    expect(await text(page, '[data-receipt="outcome"]')).toBe(
      "Done: you gave 2,000 Harbor Rewards points and got 1,200 SkyWays Miles points.",
    );
    expect(await text(page, '[data-receipt="reference"]')).toBe(page.url().split("/conversions/")[1]);
    expect(await text(page, '[data-receipt="when"]')).toMatch(/UTC$/);
    expect(await text(page, '[data-balance="available"]')).toBe((available - 2000).toLocaleString("en"));
    await checkPage(page, "member-receipt");
    // A reload shows the receipt again; it converts nothing twice.
    await page.reload();
    expect(await world.balances()).toMatchObject({ guest: { available: available - 2000 } });

    portal.gw.clock.advance(16 * 60_000); // the page's 15 minutes are over
    const expired = await page.goto(url);
    expect(expired?.status()).toBe(404);
    expect(await text(page, "main")).toContain("This page has expired. Open it again from the app.");
    await context.close();
  }, 60_000);

  it("shows the daily maximum before typing, keeps typed values beside an error, and speaks the member's time zone", async () => {
    const world = await setupConversion(portal.gw, { max_points_per_day: 2_000 });
    await world.fund(5_000);
    const { page, context } = await memberPage(world, { timezone: "America/Sao_Paulo" });
    expect(await text(page, `[data-limits="${world.airline.programId}"]`)).toBe(
      "Minimum 1,000, in steps of 1,000, up to 2,000 today.",
    );
    expect(await page.getByLabel(english.points).getAttribute("max")).toBe("2000");

    await askQuote(page, world, english, ["NOBODY-1", "2000"]);
    const number = page.getByLabel(english.number);
    expect(await number.inputValue()).toBe("NOBODY-1");
    expect(await page.getByLabel(english.points).inputValue()).toBe("2000");
    expect(await number.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator(".member-field-error").textContent()).toBe(
      "SkyWays Miles has no member with the number NOBODY-1. Check it and try again.",
    );
    await checkPage(page, "member-field-error");

    await askQuote(page, world, english, [world.flyer, "2000"]);
    expect(await text(page, '[data-quote="expires"]')).toMatch(/^This offer holds until \d+:\d\d:\d\d [AP]M GMT-3\.$/);
    await page.getByRole("button", { name: "Confirm conversion" }).click();
    await page.waitForURL(/\/conversions\//);
    expect(await text(page, '[data-receipt="when"]')).toMatch(/GMT-3$/);
    await page.getByRole("link", { name: "Convert more points" }).click();
    expect(await text(page, `[data-limits="${world.airline.programId}"]`)).toBe(
      "You have converted today's maximum to SkyWays Miles. You can convert again tomorrow.",
    );
    expect(await page.getByLabel(english.points).count()).toBe(0);
    await checkPage(page, "member-today-reached");
    await context.close();
  }, 60_000);

  it("shows a held conversion as pending, and a rejected one as returned, in Portuguese on a phone", async () => {
    const world = await setupConversion(portal.gw);
    await world.fund(5_000);
    const operator = await portal.gw.operatorToken();
    const rules = await portal.gw.call("PUT", `/v1/programs/${world.hotel.programId}/velocity-rules`, {
      token: operator,
      body: { review_threshold_points: 2_000 },
    });
    expect(rules.status).toBe(200);
    const { page, context } = await memberPage(world, { locale: "pt-BR", timezone: "America/Sao_Paulo" });
    expect(await text(page, `[data-limits="${world.airline.programId}"]`)).toBe(
      "Mínimo de 1.000, de 1.000 em 1.000, até 5.000 (seu saldo).",
    );
    await askQuote(page, world, { number: /número de membro/, points: /Pontos a converter/ }, [world.flyer, "3000"]);
    expect(await text(page, '[data-quote="sentence"]')).toBe(
      "Você entrega 3.000 pontos Harbor Rewards e recebe 1.800 pontos SkyWays Miles (taxa: 0).",
    );
    expect(await text(page, '[data-quote="expires"]')).toMatch(/^Esta oferta vale até \d{1,2}:\d\d:\d\d BRT\.$/);
    await checkPage(page, "member-quote-pt");
    await page.getByRole("button", { name: "Confirmar conversão" }).click();
    await page.waitForURL(/\/conversions\//);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Conversão em análise");
    expect(await text(page, '[data-receipt="outcome"]')).toBe(
      "Em análise: seus 3.000 pontos Harbor Rewards estão reservados; você receberá 1.800 pontos SkyWays Miles assim que for aprovada.",
    );
    expect(await text(page, '[data-receipt="status"]')).toBe("Em análise");
    expect(await text(page, '[data-balance="pending"]')).not.toBe("0");
    await checkPage(page, "member-held-pt");

    const id = page.url().split("/conversions/")[1];
    const conversion = await portal.gw.call("GET", `/v1/conversions/${id}`, { token: await world.token() });
    const rejected = await portal.gw.call("POST", `/v1/reviews/${conversion.body.review_id}/reject`, {
      token: operator,
      body: { reason: "Unusual amount" },
    });
    expect(rejected.status).toBe(200);
    await page.reload();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Conversão não aprovada");
    expect(await text(page, '[data-receipt="outcome"]')).toBe(
      "Não aprovada: nada foi convertido, e seus 3.000 pontos Harbor Rewards voltaram para o seu saldo.",
    );
    expect(await text(page, '[data-balance="available"]')).toBe("5.000");
    await checkPage(page, "member-rejected-pt");
    await context.close();
  }, 60_000);

  it("says refusals in Portuguese: an unknown member number beside its field, an unknown quote as a page", async () => {
    const world = await setupConversion(portal.gw);
    await world.fund(3_000);
    const { page, url, context } = await memberPage(world, { locale: "pt-BR" });
    const portuguese = { number: /número de membro/, points: /Pontos a converter/ };
    await askQuote(page, world, portuguese, ["NINGUEM-1", "2000"]);
    expect(await page.getByLabel(portuguese.number).inputValue()).toBe("NINGUEM-1");
    expect(await page.locator(".member-field-error").textContent()).toBe(
      "O SkyWays Miles não tem membro com o número NINGUEM-1. Confira e tente de novo.",
    );
    await checkPage(page, "member-field-error-pt");

    const missing = await page.goto(`${url}/quotes/qt_unknown`);
    expect(missing?.status()).toBe(404);
    const said = await text(page, "main");
    expect(said).toContain("Não há nada neste endereço, ou não é seu: confira se o endereço está certo.");
    expect(said).not.toContain("No quote");
    await checkPage(page, "member-unknown-quote-pt");
    await context.close();
  }, 60_000);

  it("says a quote confirmed after it expired is expired, keeping the typed values, in Russian on a desktop", async () => {
    const world = await setupConversion(portal.gw);
    await world.fund(3_000);
    const { page, context } = await memberPage(world, { locale: "ru", viewport: "desktop", timezone: "Europe/Moscow" });
    const russian = { number: /номер участника/, points: /Сколько баллов/ };
    await askQuote(page, world, russian, [world.flyer, "2000"]);
    expect(await text(page, '[data-quote="sentence"]')).toBe(
      "Вы отдаёте 2 000 баллов Harbor Rewards и получаете 1 200 баллов SkyWays Miles (комиссия: 0).",
    );
    expect(await page.getByRole("img", { name: "Время на подтверждение: 60 секунд" }).count()).toBe(1);
    await checkPage(page, "member-quote-ru");

    portal.gw.clock.advance(61_000);
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("alert").textContent()).toBe(
      "Срок расчёта истёк: получите новый. Сумма и номер участника сохранены ниже.",
    );
    expect(await page.getByLabel(russian.number).inputValue()).toBe(world.flyer);
    expect(await page.getByLabel(russian.points).inputValue()).toBe("2000");
    expect(await world.balances()).toMatchObject({ guest: { available: 3_000 } });
    await checkPage(page, "member-expired-ru");
    await context.close();
  }, 60_000);
});
