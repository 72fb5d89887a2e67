import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newKey } from "../support/ledger";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * The Rewards pages (issue 19, item 6): the owner's catalogue with its stock, who fulfils each reward and its code
 * pools' levels; the import of a CSV product list (problems by line and nothing written, a dry run, then the real
 * thing); the queue of orders a partner fulfils, oldest first, fulfilled and cancelled through forms that answer 303,
 * and a cancel that lost its race answered by the invalid_state problem page; a fulfilling partner that does not own
 * the program sees its orders and none of the owner's catalogue; forms without the session's CSRF token change
 * nothing; Russian.
 */
vi.setConfig({ testTimeout: 120_000 }); // axe-core runs twice a page

let portal: PortalFixture;
let airlineName: string;
const rewards: Record<"gift" | "mug" | "lounge", { id: string }> = {} as never;
/** Orders: two mugs the hotel ships itself, one lounge pass the airline fulfils, one mug for the race. */
const orders: Record<"first" | "second" | "lounge" | "raced", { id: string }> = {} as never;
const address = {
  name: "Ana Souza",
  address_lines: ["Rua Augusta 1200", "Apto 52"],
  city: "São Paulo",
  postal_code: "01304-001",
  country: "BR",
};

beforeAll(async () => {
  portal = await startPortal();
  const { gw, setup } = portal;
  await portal.portalUser("admin@harbor.example", "admin");
  await portal.portalUser("viewer@harbor.example", "viewer");
  await portal.portalUser("admin@skyways.example", "admin", setup.airline.owner.partner.id);
  airlineName = setup.airline.owner.partner.name;
  // The airline fulfils the hotel's lounge passes: it needs an agreement in the hotel's program.
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
  const api = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const answer = await gw.call(method, path, { token: await setup.token(), body, headers });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.text}`);
    return answer.body;
  };
  const catalogue = `/v1/programs/${setup.hotel.programId}/rewards`;
  rewards.gift = await api("POST", catalogue, {
    sku: "GIFT-10",
    name: "Gift card",
    type: "voucher",
    points_price: 100,
    fulfilment: "code",
    active: true,
    translations: { ru: { name: "Подарочная карта" } },
  });
  await api("POST", `/v1/rewards/${rewards.gift.id}/codes`, {
    codes: Array.from({ length: 12 }, (_, n) => `GC-${1000 + n}`),
  });
  rewards.mug = await api("POST", catalogue, {
    sku: "MUG",
    name: "Harbor mug",
    type: "product",
    points_price: 200,
    stock: 6,
    fulfilment: "partner",
    active: true,
  });
  rewards.lounge = await api("POST", catalogue, {
    sku: "LOUNGE",
    name: "Lounge pass",
    type: "experience",
    points_price: 300,
    fulfilment: "partner",
    fulfilling_partner_id: setup.airline.owner.partner.id,
    active: false,
  });
  const redeem = async (rewardId: string, quantity: number, delivery?: typeof address) => {
    gw.clock.advance(1000);
    const body = { program_id: setup.hotel.programId, external_id: setup.guest, reward_id: rewardId, quantity };
    return api("POST", "/v1/redemptions", { ...body, delivery }, { "Idempotency-Key": newKey() });
  };
  await redeem(rewards.gift.id, 2);
  orders.first = await redeem(rewards.mug.id, 1, address);
  orders.second = await redeem(rewards.mug.id, 2);
  // Ordered while active, then switched off: the pass still has to be fulfilled.
  await api("PATCH", `/v1/rewards/${rewards.lounge.id}`, { active: true });
  orders.lounge = await redeem(rewards.lounge.id, 1, address);
  await api("PATCH", `/v1/rewards/${rewards.lounge.id}`, { active: false });
  orders.raced = await redeem(rewards.mug.id, 1);
}, 120_000);
afterAll(() => portal?.close());

/** Intl's no-break and narrow spaces as plain ones, so expectations read plainly. */
const plain = (value: string | null) => (value ?? "").replace(/[\u00a0\u202f]/g, " ").trim();
const text = async (page: Page, selector: string) => plain(await page.locator(selector).first().textContent());
const cell = (page: Page, sku: string, column: string) =>
  text(page, `tr[data-reward="${sku}"] [data-column="${column}"]`);

async function redemption(id: string) {
  const { gw, setup } = portal;
  const answer = await gw.call("GET", `/v1/redemptions/${id}`, { token: await setup.token() });
  expect(answer.status).toBe(200);
  return answer.body as { status: string; tracking_reference: string | null; cancel_reason: string | null };
}

/** Chooses a CSV file with `rows` in the import form, ticks or clears the dry run, and submits it. */
async function importFile(page: Page, rows: string[], dryRun: boolean) {
  const form = page.locator("form.import");
  await form.getByLabel("CSV file").setInputFiles({
    name: "products.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${rows.join("\r\n")}\r\n`),
  });
  await form.getByLabel("Dry run: check the file and write nothing").setChecked(dryRun);
  await Promise.all([page.waitForLoadState(), form.getByRole("button", { name: "Import" }).click()]);
  await page.waitForSelector("h1");
}

describe("the Rewards catalogue", () => {
  it("shows the owner's rewards with their stock, who fulfils them and the code pools' levels", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rewards" }).click();
    await page.waitForURL(`${portal.base}/portal/rewards`);
    // The header stays one row on a desktop with the new entry.
    expect((await page.locator("header").boundingBox())?.height).toBeLessThan(80);
    expect(await cell(page, "GIFT-10", "name")).toBe("Gift card");
    expect(await cell(page, "GIFT-10", "type")).toBe("Voucher");
    expect(await cell(page, "GIFT-10", "price")).toBe("100");
    expect(await cell(page, "GIFT-10", "stock")).toBe("Codes: 10");
    expect(await cell(page, "MUG", "stock")).toBe("2"); // 6 less the 1 + 2 + 1 ordered
    expect(await cell(page, "MUG", "fulfilled-by")).toContain("Your company");
    expect(await cell(page, "LOUNGE", "stock")).toBe("Unlimited");
    expect(await cell(page, "LOUNGE", "active")).toBe("Inactive");
    expect(await cell(page, "LOUNGE", "fulfilled-by")).toContain(airlineName);
    // Two of the twelve codes went with the first order: ten left is low.
    const pool = 'tr[data-pool="GIFT-10"]';
    expect(await text(page, `${pool} [data-column="available"]`)).toBe("10");
    expect(await text(page, `${pool} [data-column="assigned"]`)).toBe("2");
    expect(await text(page, `${pool} [data-column="void"]`)).toBe("0");
    expect(await text(page, `${pool} [data-column="level"]`)).toBe("Low");
    await checkPage(page, "rewards-catalogue");
    await context.close();
  });

  it("imports a product list: every problem by line and nothing written, a dry run, then the real import", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    await page.goto(`${portal.base}/portal/rewards`);
    const header = "sku,name,type,points_price,fulfilment,active,name.ru";
    const book = 'BOOK,"Cook book, signed",product,150,manual,true,Кулинарная книга';
    await importFile(page, [header, book, "BAD,Broken,product,-5,manual,true,", "MUG,,product,200,,maybe,"], false);
    const errors = page.locator('[data-import="errors"] li');
    expect(await errors.evaluateAll((items) => items.map((item) => item.getAttribute("data-line")))).toEqual([
      "3",
      "4",
    ]);
    expect(plain(await errors.first().textContent())).toMatch(/^Line 3: points_price: /);
    expect(await page.locator('tr[data-reward="BOOK"]').count()).toBe(0);
    await checkPage(page, "rewards-import-errors");

    const good = [header, book, "MUG,Harbor mug (blue),product,200,partner,true,Кружка"];
    await importFile(page, good, true);
    expect(await text(page, "form.import .alert.ok")).toBe(
      "Dry run: the file has no problems, and nothing was written. Rewards it would add: 1; change: 1.",
    );
    expect(await page.locator('tr[data-reward="BOOK"]').count()).toBe(0);

    await importFile(page, good, false);
    expect(new URL(page.url()).pathname).toBe("/portal/rewards");
    expect(await text(page, "section.program-rewards .alert.ok")).toBe(
      "The product list was imported. Rewards added: 1; changed: 1.",
    );
    expect(await cell(page, "BOOK", "name")).toBe("Cook book, signed");
    expect(await cell(page, "BOOK", "type")).toBe("Product");
    expect(await cell(page, "MUG", "name")).toBe("Harbor mug (blue)");
    expect(await cell(page, "MUG", "stock")).toBe("2"); // no stock column: the stock is left as it was
    // A reload of the confirmation imports nothing again: it is a GET.
    await page.reload();
    expect(await page.locator('tr[data-reward="BOOK"]').count()).toBe(1);
    await context.close();
  });

  it("speaks Russian to a viewer, who reads the catalogue but has no import form", async () => {
    const { page, context } = await signedInPage(portal, "viewer@harbor.example");
    await page.goto(`${portal.base}/portal/lang?to=ru&back=${encodeURIComponent("/portal/rewards")}`);
    await page.goto(`${portal.base}/portal/rewards`);
    expect(await page.getAttribute("html", "lang")).toBe("ru");
    expect(await text(page, "h1")).toBe("Каталог наград");
    expect(await cell(page, "GIFT-10", "name")).toBe("Подарочная карта");
    expect(await cell(page, "GIFT-10", "type")).toBe("Сертификат");
    expect(await cell(page, "LOUNGE", "stock")).toBe("Без ограничений");
    expect(await text(page, 'tr[data-pool="GIFT-10"] th')).toBe("Подарочная карта GIFT-10");
    expect(await text(page, 'tr[data-pool="GIFT-10"] [data-column="level"]')).toBe("Мало");
    expect(await page.locator("form.import").count()).toBe(0);
    expect(await page.getByText("Импортировать списки товаров может только администратор").count()).toBe(1);
    await checkPage(page, "rewards-catalogue-ru");
    await context.close();
  });
});

describe("the orders to fulfil", () => {
  it("lists the owner's pending orders oldest first; Fulfil and Cancel show the outcome and change the order", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    await page.goto(`${portal.base}/portal/rewards/orders`);
    // The lounge pass is the airline's to fulfil: not in the hotel's queue.
    expect(await page.locator("article[data-order]").evaluateAll((cards) => cards.map((c) => c.dataset.order))).toEqual(
      [orders.first.id, orders.second.id, orders.raced.id],
    );
    const first = `article[data-order="${orders.first.id}"]`;
    expect(await text(page, `${first} h2`)).toBe("Harbor mug (blue) · quantity: 1");
    expect(await text(page, `${first} [data-fact="member"]`)).toBe(portal.setup.guest);
    expect(
      await page.locator(`${first} [data-delivery] span`).evaluateAll((lines) => lines.map((l) => l.textContent)),
    ).toEqual(["Ana Souza", "Rua Augusta 1200", "Apto 52", "01304-001 São Paulo", "BR"]);
    expect(await text(page, `article[data-order="${orders.second.id}"] [data-fact="quantity"]`)).toBe("2");
    await checkPage(page, "rewards-orders");

    await page.locator(first).getByLabel("Tracking reference (optional)").fill("BR123456789PT");
    await page.locator(first).getByRole("button", { name: "Fulfil" }).click();
    await page.waitForURL(`${portal.base}/portal/rewards/orders/${orders.first.id}?done=fulfilled`);
    expect(await text(page, '.order-outcome[data-status="fulfilled"] [data-fact="status"]')).toBe("Status: Fulfilled");
    expect(await page.getByText("Tracking reference: BR123456789PT").count()).toBe(1);
    expect(await redemption(orders.first.id)).toMatchObject({
      status: "fulfilled",
      tracking_reference: "BR123456789PT",
    });
    await checkPage(page, "rewards-order-fulfilled");

    // A cancel needs a reason: refused without one (nothing written), then done with one.
    await page.goto(`${portal.base}/portal/rewards/orders`);
    const second = page.locator(`article[data-order="${orders.second.id}"]`);
    await second.getByRole("button", { name: "Cancel the order" }).click();
    expect(await text(page, ".error-summary li")).toBe("Say why the order is cancelled.");
    expect((await redemption(orders.second.id)).status).toBe("pending");
    const before = (await portal.setup.hotel.balance(portal.setup.guest)).available;
    await page.getByLabel("Reason for cancelling (the member may see it)").fill("Out of stock at the warehouse");
    await page.getByRole("button", { name: "Cancel the order" }).click();
    await page.waitForURL(`${portal.base}/portal/rewards/orders/${orders.second.id}?done=cancelled`);
    expect(await text(page, '.order-outcome[data-status="cancelled"] [data-fact="status"]')).toBe("Status: Cancelled");
    expect(await page.getByText("Reason: Out of stock at the warehouse").count()).toBe(1);
    expect(await page.locator("form[action$='/cancel']").count()).toBe(0);
    expect(await redemption(orders.second.id)).toMatchObject({
      status: "cancelled",
      cancel_reason: "Out of stock at the warehouse",
    });
    expect((await portal.setup.hotel.balance(portal.setup.guest)).available).toBe(before + 400);
    await context.close();
  });

  it("answers a cancel that lost its race with the invalid_state problem page, and a form without its CSRF token with 403", async () => {
    const { gw, setup, base } = portal;
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    await page.goto(`${base}/portal/rewards/orders/${orders.raced.id}`);
    // Without the session's token (or with a forged one) nothing changes.
    const attempts: Record<string, string>[] = [{ reason: "forged" }, { reason: "forged", _csrf: "forged" }];
    for (const form of attempts) {
      const refused = await page.request.post(`${base}/portal/rewards/orders/${orders.raced.id}/cancel`, { form });
      expect(refused.status()).toBe(403);
    }
    const importing = await page.request.post(`${base}/portal/rewards/import`, {
      multipart: {
        program_id: setup.hotel.programId,
        csv: "sku,name,type,points_price,fulfilment,active\nFORGED,Forged,product,1,manual,true",
      },
    });
    expect(importing.status()).toBe(403);
    expect((await redemption(orders.raced.id)).status).toBe("pending");
    const list = await gw.call("GET", `/v1/programs/${setup.hotel.programId}/rewards`, { token: await setup.token() });
    expect(list.body.data.map((reward: { sku: string }) => reward.sku)).not.toContain("FORGED");

    // The shop fulfils the order through the API while the page is open; the page's cancel then loses.
    const fulfilled = await gw.call("POST", `/v1/redemptions/${orders.raced.id}/fulfil`, {
      token: await setup.token(),
      body: {},
    });
    expect(fulfilled.status).toBe(200);
    await page.getByLabel("Reason for cancelling (the member may see it)").fill("Customer asked");
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      page.getByRole("button", { name: "Cancel the order" }).click(),
    ]);
    expect(answer.status()).toBe(409);
    expect(await text(page, '.problem-page[data-status="409"] .lead')).toBe(
      "This order is no longer waiting to be fulfilled: it was fulfilled or cancelled meanwhile. Open it again to see how it ended.",
    );
    expect((await redemption(orders.raced.id)).status).toBe("fulfilled");
    await context.close();
  });

  it("shows a fulfilling partner that does not own the program its orders, and none of the owner's catalogue", async () => {
    const { setup, base } = portal;
    const { page, context } = await signedInPage(portal, "admin@skyways.example");
    await page.goto(`${base}/portal/rewards`);
    expect(await page.locator(`section[data-program="${setup.hotel.programId}"]`).count()).toBe(0);
    expect(await page.locator("tr[data-reward]").count()).toBe(0);
    expect(
      await page.locator(`section[data-program="${setup.airline.programId}"] [data-empty="rewards"]`).count(),
    ).toBe(1);
    // Importing into the hotel's program with the airline's own token: 404, as if it did not exist.
    const csrf = await page.locator('form.import input[name="_csrf"]').inputValue();
    const refused = await page.request.post(`${base}/portal/rewards/import`, {
      multipart: { _csrf: csrf, program_id: setup.hotel.programId, csv: "sku,name\nX,Y" },
    });
    expect(refused.status()).toBe(404);
    // Nor does it see the hotel's own orders.
    expect((await page.goto(`${base}/portal/rewards/orders/${orders.first.id}`))?.status()).toBe(404);

    await page.goto(`${base}/portal/rewards/orders`);
    expect(await page.locator("article[data-order]").evaluateAll((cards) => cards.map((c) => c.dataset.order))).toEqual(
      [orders.lounge.id],
    );
    const card = page.locator(`article[data-order="${orders.lounge.id}"]`);
    expect(plain(await card.locator('[data-fact="reward"]').textContent())).toBe("Lounge pass LOUNGE");
    await card.getByRole("button", { name: "Fulfil" }).click();
    await page.waitForURL(`${base}/portal/rewards/orders/${orders.lounge.id}?done=fulfilled`);
    expect(await text(page, '.order-outcome [data-fact="status"]')).toBe("Status: Fulfilled");
    expect((await redemption(orders.lounge.id)).status).toBe("fulfilled");
    await page.goto(`${base}/portal/rewards/orders`);
    expect(await page.locator("[data-empty='orders']").count()).toBe(1);
    await context.close();
  });
});
