import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newKey, setupProgram } from "../support/ledger";
import { checkPage, type Page, type PortalFixture, startPortal } from "../support/portal";

/**
 * What a member does with their points on the hosted pages, on a phone (390x844) first: redeeming a reward (the
 * rewards they may redeem, a reward's form, the receipt with its status in words and voucher codes) and giving
 * points to another member (the rules in words, the form, the receipt), in English, Portuguese and Russian (the
 * member's `locale`, set at enrolment); by keyboard alone; refusals said beside their field with the typed values
 * kept and nothing written; forms without the session's CSRF token refused with nothing changed; a form sent
 * twice written once; another member's orders and transfers 404.
 */
vi.setConfig({ testTimeout: 120_000 }); // axe-core runs twice a page

let portal: PortalFixture;
beforeAll(async () => {
  portal = await startPortal();
}, 60_000);
afterAll(() => portal?.close());

const day = 86_400_000;

/**
 * A program with tiers (Blue for everyone, Gold far away), rewards the members may and may not redeem, and transfer
 * rules: at least 100, a 2.5% fee, 3,000 a month.
 */
async function actionsWorld(program: Record<string, unknown> = {}, rules: Record<string, unknown> | null = {}) {
  const { gw } = portal;
  const harbor = await setupProgram(gw, { name: "Harbor Rewards", point_name: "point", ...program });
  const token = harbor.owner.token;
  const api = async (method: string, path: string, body?: unknown) => {
    const answer = await gw.call(method, path, { token, body, headers: { "Idempotency-Key": newKey() } });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.text}`);
    return answer.body;
  };
  await api("PUT", `/v1/programs/${harbor.programId}/tiers`, {
    qualification_window_days: 365,
    tiers: [
      { key: "blue", name: "Blue" },
      { key: "gold", name: "Gold", min_points: 1_000_000 },
    ],
  });
  const reward = async (sku: string, fields: Record<string, unknown>) =>
    (await api("POST", `/v1/programs/${harbor.programId}/rewards`, {
      sku,
      name: sku,
      type: "service",
      points_price: 300,
      fulfilment: "manual",
      active: true,
      ...fields,
    })) as { id: string };
  const gift = await reward("GIFT", {
    name: "Gift card",
    description: "A code for the harbour shop",
    type: "voucher",
    points_price: 100,
    fulfilment: "code",
    translations: {
      "pt-BR": { name: "Vale-presente", description: "Um código para a loja do porto" },
      ru: { name: "Подарочная карта", description: "Код для магазина в порту" },
    },
  });
  await api("POST", `/v1/rewards/${gift.id}/codes`, { codes: Array.from({ length: 40 }, (_, n) => `GC-${1000 + n}`) });
  const rewards = {
    gift,
    mug: await reward("MUG", {
      name: "Harbor mug",
      type: "product",
      points_price: 200,
      stock: 20,
      per_member_limit: 2,
      fulfilment: "partner",
      translations: { "pt-BR": { name: "Caneca Harbor" }, ru: { name: "Кружка Harbor" } },
    }),
    lounge: await reward("LOUNGE", { name: "Blue lounge", tiers: ["blue"] }),
    yacht: await reward("YACHT", { name: "Yacht week", points_price: 1_000_000 }),
    suite: await reward("SUITE", { name: "Gold suite", tiers: ["gold"] }),
    retired: await reward("RETIRED", { name: "Retired", active: false }),
    gone: await reward("GONE", { name: "Sold out", stock: 0 }),
    later: await reward("LATER", {
      name: "Next year",
      available_from: new Date(gw.clock.now().getTime() + 30 * day).toISOString(),
    }),
  };
  if (rules)
    await api("PUT", `/v1/programs/${harbor.programId}/transfer-rules`, {
      enabled: true,
      min_points: 100,
      max_points_per_member_per_month: 3_000,
      fee_bps: 250,
      min_membership_days: 0,
      ...rules,
    });

  /** A member enrolled with `locale` and `points` earned. */
  const member = async (locale?: string, points = 2_000) => {
    const externalId = `H-${crypto.randomUUID().slice(0, 8)}`;
    await api("POST", `/v1/programs/${harbor.programId}/members`, {
      external_id: externalId,
      ...(locale && { locale }),
    });
    if (points > 0) await harbor.move("earn", externalId, points);
    return externalId;
  };
  const balance = async (externalId: string): Promise<number> => (await harbor.balance(externalId)).available;
  /** What this member's orders and transfers wrote, and a reward's stock. */
  const rows = async (externalId: string) => {
    const count = async (sql: string) =>
      Number((await gw.deps.reader.all<{ n: number }>(sql, [harbor.programId, externalId]))[0]?.n);
    const memberId = "(select id from members where program_id = ? and external_id = ?)";
    return {
      orders: await count(`select count(*) as n from redemptions where member_id = ${memberId}`),
      transfers: await count(`select count(*) as n from transfers where from_member_id = ${memberId}`),
    };
  };
  const stock = async (rewardId: string) => (await api("GET", `/v1/rewards/${rewardId}`)).stock as number | null;
  /** The member's hosted pages, opened as the partner's app would, in a new phone-sized browser context. */
  const open = async (externalId: string, locale?: string) => {
    const opened = await gw.call("POST", "/v1/member-sessions", {
      token,
      body: { program_id: harbor.programId, external_id: externalId },
    });
    expect(opened.status).toBe(201);
    const url: string = opened.body.url.replace(/^https?:\/\/[^/]+/, portal.base);
    const context = await portal.newContext({ viewport: "phone", locale });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return { page, url, context };
  };
  return { harbor, api, rewards, member, balance, rows, stock, open };
}

type World = Awaited<ReturnType<typeof actionsWorld>>;

/** Intl's no-break spaces (in "2 000") as plain ones, so expectations can be written plainly. */
const plain = (value: string) => value.replace(/[\u00a0\u202f]/g, " ");
const text = async (page: Page, selector: string) =>
  plain((await page.locator(selector).first().textContent()) ?? "").trim();
const heading = (page: Page) => text(page, "main h1");

/** Goes to `url` and answers the response's status. */
async function visit(page: Page, url: string) {
  return (await page.goto(url))?.status();
}

/** Clicks a form's submit button and waits for the page it leads to; answers that page's status. */
async function submit(page: Page, name: string) {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole("button", { name, exact: true }).click(),
  ]);
  return response?.status();
}

/** What each language says where the tests look. */
const languages = {
  en: {
    rewards: "Rewards",
    gift: "Gift card",
    giftText: "A code for the harbour shop",
    mug: "Harbor mug",
    redeem: "Redeem",
    quantity: "Quantity",
    address: {
      "Full name": "Ana Souza",
      Address: "Rua Augusta 1200",
      City: "São Paulo",
      "Postal code": "01304-001",
      Country: "Brazil",
    },
    fulfilled: ["Order fulfilled", "Fulfilled", "Done: you spent 100 Harbor Rewards points."],
    pending: ["Order placed", "Pending", "Pending: you spent 200 Harbor Rewards points; your order is being prepared."],
    transfer: "Transfer points",
    rules: [
      "Minimum per transfer: 100 Harbor Rewards points.",
      "Fee: 2.5% of the points you send, rounded up; the other member receives the rest.",
      "Monthly maximum: 3,000; 3,000 left this month.",
    ],
    recipient: "Harbor Rewards member number of the person receiving",
    points: "Points to send",
    send: "Send points",
    sent: [
      "Points sent",
      "Completed",
      "1,000 Harbor Rewards points",
      "25 Harbor Rewards points",
      "975 Harbor Rewards points",
    ],
  },
  "pt-BR": {
    rewards: "Recompensas",
    gift: "Vale-presente",
    giftText: "Um código para a loja do porto",
    mug: "Caneca Harbor",
    redeem: "Resgatar",
    quantity: "Quantidade",
    address: {
      "Nome completo": "Ana Souza",
      Endereço: "Rua Augusta 1200",
      Cidade: "São Paulo",
      CEP: "01304-001",
      País: "Brasil",
    },
    fulfilled: ["Pedido entregue", "Entregue", "Pronto: você usou 100 pontos Harbor Rewards."],
    pending: [
      "Pedido feito",
      "Pendente",
      "Pendente: você usou 200 pontos Harbor Rewards; seu pedido está sendo preparado.",
    ],
    transfer: "Transferir pontos",
    rules: [
      "Mínimo por transferência: 100 pontos Harbor Rewards.",
      "Taxa: 2,5% dos pontos que você enviar, arredondada para cima; o outro membro recebe o restante.",
      "Máximo por mês: 3.000; restam 3.000 neste mês.",
    ],
    recipient: "Número de membro Harbor Rewards de quem recebe",
    points: "Pontos a enviar",
    send: "Enviar pontos",
    sent: [
      "Pontos enviados",
      "Concluída",
      "1.000 pontos Harbor Rewards",
      "25 pontos Harbor Rewards",
      "975 pontos Harbor Rewards",
    ],
  },
  ru: {
    rewards: "Вознаграждения",
    gift: "Подарочная карта",
    giftText: "Код для магазина в порту",
    mug: "Кружка Harbor",
    redeem: "Заказать",
    quantity: "Количество",
    address: {
      "Имя и фамилия": "Анна Соколова",
      Адрес: "Невский проспект, 1",
      Город: "Санкт-Петербург",
      "Почтовый индекс": "191186",
      Страна: "Россия",
    },
    fulfilled: ["Заказ выполнен", "Выполнен", "Готово: списано 100 баллов Harbor Rewards."],
    pending: [
      "Заказ оформлен",
      "Ожидает выполнения",
      "Ожидает выполнения: списано 200 баллов Harbor Rewards; заказ готовится.",
    ],
    transfer: "Передать баллы",
    rules: [
      "Минимум за один перевод: 100 баллов Harbor Rewards.",
      "Комиссия: 2,5 % от отправляемых баллов с округлением вверх; другой участник получит остальное.",
      "Максимум в месяц: 3 000; в этом месяце осталось 3 000.",
    ],
    recipient: "Номер участника Harbor Rewards, которому отправляете",
    points: "Сколько баллов отправить",
    send: "Отправить баллы",
    sent: [
      "Баллы отправлены",
      "Выполнена",
      "1 000 баллов Harbor Rewards",
      "25 баллов Harbor Rewards",
      "975 баллов Harbor Rewards",
    ],
  },
} as const;

describe("a member's rewards and transfers on a phone", () => {
  let world: World;
  beforeAll(async () => {
    world = await actionsWorld();
  }, 60_000);

  for (const [locale, say] of Object.entries(languages)) {
    it(`redeems a voucher and a product and sends points, in ${locale} (the member's locale)`, async () => {
      const guest = await world.member(locale);
      const friend = await world.member();
      const { page, url, context } = await world.open(guest);
      const { rewards } = world;
      expect(page.viewportSize()).toEqual({ width: 390, height: 844 });

      // Only what the member may redeem: active, for their tier (Blue), available now, in stock.
      expect(await visit(page, `${url}/rewards`)).toBe(200);
      expect(await heading(page)).toBe(say.rewards);
      const listed = await page
        .locator("[data-reward]")
        .evaluateAll((items) => items.map((li) => li.getAttribute("data-reward")));
      expect(listed).toEqual([rewards.yacht.id, rewards.lounge.id, rewards.mug.id, rewards.gift.id]);
      expect(await text(page, `[data-reward="${rewards.gift.id}"] h2`)).toBe(say.gift);
      expect(await text(page, `[data-reward="${rewards.gift.id}"] p`)).toBe(say.giftText);
      expect(await page.locator(`[data-reward="${rewards.gift.id}"] [data-covered]`).getAttribute("data-covered")).toBe(
        "yes",
      );
      expect(
        await page.locator(`[data-reward="${rewards.yacht.id}"] [data-covered]`).getAttribute("data-covered"),
      ).toBe("no");
      await checkPage(page, `member-rewards-${locale}`);

      // A voucher: fulfilled at once, its code on the receipt, the price off the balance.
      await page.getByRole("link", { name: say.gift }).click();
      expect(await heading(page)).toBe(say.gift);
      await checkPage(page, `member-reward-${locale}`);
      expect(await submit(page, say.redeem)).toBe(200);
      expect(page.url()).toMatch(/\/orders\/rdm_/);
      const [fulfilledTitle, fulfilled, fulfilledText] = say.fulfilled;
      expect(await heading(page)).toBe(fulfilledTitle);
      expect(await text(page, '[data-receipt="status"]')).toBe(fulfilled);
      expect(await text(page, '[data-receipt="outcome"]')).toBe(fulfilledText);
      expect(await text(page, '[data-receipt="codes"]')).toMatch(/^GC-10\d\d$/);
      expect(await world.balance(guest)).toBe(1_900);
      await checkPage(page, `member-order-code-${locale}`);

      // A product: its address asked for, the order pending.
      await visit(page, `${url}/rewards/${rewards.mug.id}`);
      expect(await heading(page)).toBe(say.mug);
      for (const [label, value] of Object.entries(say.address))
        await page.getByLabel(label, { exact: true }).fill(value);
      expect(await submit(page, say.redeem)).toBe(200);
      const [pendingTitle, pending, pendingText] = say.pending;
      expect(await heading(page)).toBe(pendingTitle);
      expect(await text(page, '[data-receipt="status"]')).toBe(pending);
      expect(await text(page, '[data-receipt="outcome"]')).toBe(pendingText);
      expect(await text(page, '[data-receipt="delivery"]')).toContain(Object.values(say.address)[0]);
      expect(await world.balance(guest)).toBe(1_700);
      await checkPage(page, `member-order-pending-${locale}`);

      // Points to another member: the rules in words, then a receipt with the fee.
      await visit(page, `${url}/transfer`);
      expect(await heading(page)).toBe(say.transfer);
      expect((await page.locator("[data-rule]").allTextContents()).map(plain)).toEqual([...say.rules]);
      await checkPage(page, `member-transfer-${locale}`);
      await page.getByLabel(say.recipient).fill(friend);
      await page.getByLabel(say.points).fill("1000");
      expect(await submit(page, say.send)).toBe(200);
      expect(page.url()).toMatch(/\/transfers\/trf_/);
      const [sentTitle, completed, sent, fee, received] = say.sent;
      expect(await heading(page)).toBe(sentTitle);
      expect(await text(page, '[data-receipt="status"]')).toBe(completed);
      expect(await text(page, '[data-receipt="sent"]')).toBe(sent);
      expect(await text(page, '[data-receipt="fee"]')).toBe(fee);
      expect(await text(page, '[data-receipt="received"]')).toBe(received);
      expect(await text(page, '[data-receipt="recipient"]')).toBe(friend);
      expect({ guest: await world.balance(guest), friend: await world.balance(friend) }).toEqual({
        guest: 700,
        friend: 2_975,
      });
      await checkPage(page, `member-transfer-receipt-${locale}`);
      await context.close();
    });
  }
});

/** Presses Tab until the field named `name` has the focus (as a keyboard user would), which must show it. */
async function tabTo(page: Page, name: string) {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const active = document.activeElement as HTMLInputElement | null;
      return { name: active?.name, visible: active?.matches(":focus-visible") };
    });
    if (focused.name === name) {
      expect(focused.visible).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${name}`);
}

describe("a long catalogue", () => {
  it("shows the rewards a page of 20 at a time, with links to more and back to the first", async () => {
    const world = await actionsWorld();
    for (let n = 1; n <= 18; n++)
      await world.api("POST", `/v1/programs/${world.harbor.programId}/rewards`, {
        sku: `EXTRA-${n}`,
        name: `Extra ${n}`,
        type: "donation",
        points_price: 50,
        fulfilment: "manual",
        active: true,
      });
    const { page, url, context } = await world.open(await world.member("en"));
    await visit(page, `${url}/rewards`);
    const shown = () => page.locator("[data-reward]").count();
    expect(await shown()).toBe(20);
    expect(
      await page.getByRole("navigation", { name: "Pages of rewards" }).getByRole("link").allTextContents(),
    ).toEqual(["More rewards"]);
    await page.getByRole("link", { name: "More rewards" }).click();
    // 22 rewards the member may redeem (18 and the four of the world), the oldest two on the second page.
    expect(await shown()).toBe(2);
    expect(await page.locator(`[data-reward="${world.rewards.gift.id}"]`).count()).toBe(1);
    await checkPage(page, "member-rewards-more");
    await page.getByRole("link", { name: "First rewards" }).click();
    expect(await shown()).toBe(20);
    await context.close();
  });
});

describe("the keyboard alone", () => {
  it("redeems a product and sends points: Tab to each field, type, Enter", async () => {
    const world = await actionsWorld();
    const guest = await world.member("en");
    const friend = await world.member();
    const { page, url, context } = await world.open(guest);

    await visit(page, `${url}/rewards/${world.rewards.mug.id}`);
    await tabTo(page, "quantity");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("2");
    for (const [name, value] of [
      ["name", "Ana Souza"],
      ["address_line1", "Rua Augusta 1200"],
      ["address_line2", "Apto 52"],
      ["city", "São Paulo"],
      ["postal_code", "01304-001"],
      ["country", "Brazil"],
      ["phone", "+55 11 91234-5678"],
    ]) {
      await tabTo(page, name as string);
      await page.keyboard.type(value as string);
    }
    await Promise.all([page.waitForURL(/\/orders\/rdm_/), page.keyboard.press("Enter")]);
    expect(await heading(page)).toBe("Order placed");
    expect(await text(page, '[data-receipt="reward"]')).toBe("Harbor mug × 2");
    expect(await text(page, '[data-receipt="points"]')).toBe("400 Harbor Rewards points");
    // One line each, as a label is written.
    expect(
      await page
        .locator('[data-receipt="delivery"]')
        .evaluate((dd) => [...dd.childNodes].filter((node) => node.nodeName !== "BR").map((node) => node.textContent)),
    ).toEqual(["Ana Souza", "Rua Augusta 1200", "Apto 52", "01304-001 São Paulo", "Brazil", "+55 11 91234-5678"]);
    expect(await world.balance(guest)).toBe(1_600);

    await visit(page, `${url}/transfer`);
    await tabTo(page, "to_external_id");
    await page.keyboard.type(friend);
    await page.keyboard.press("Tab");
    await page.keyboard.type("400");
    await Promise.all([page.waitForURL(/\/transfers\/trf_/), page.keyboard.press("Enter")]);
    expect(await text(page, '[data-receipt="outcome"]')).toBe(
      `Done: you sent 400 Harbor Rewards points; member ${friend} received 390 Harbor Rewards points.`,
    );
    expect({ guest: await world.balance(guest), friend: await world.balance(friend) }).toEqual({
      guest: 1_200,
      friend: 2_390,
    });
    await context.close();
  });
});

describe("refusals", () => {
  it("says a refused transfer beside its field, keeps what was typed and moves nothing", async () => {
    const world = await actionsWorld();
    const guest = await world.member("en", 5_000);
    const friend = await world.member();
    const { page, url, context } = await world.open(guest);
    const transfer = async (to: string, points: string) => {
      await page.getByLabel("Harbor Rewards member number of the person receiving").fill(to);
      await page.getByLabel("Points to send").fill(points);
      return submit(page, "Send points");
    };
    const fieldError = (name: string) => text(page, `#field-${name}-error`);
    const unchanged = async () => {
      expect(await world.rows(guest)).toEqual({ orders: 0, transfers: 0 });
      expect({ guest: await world.balance(guest), friend: await world.balance(friend) }).toEqual({
        guest: 5_000,
        friend: 2_000,
      });
    };

    await visit(page, `${url}/transfer`);
    expect(await transfer("NOBODY-1", "500")).toBe(400);
    expect(await fieldError("to_external_id")).toBe(
      "Error: Harbor Rewards has no member with the number NOBODY-1. Check it and try again.",
    );
    expect(await page.locator("#field-to_external_id").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#field-to_external_id").inputValue()).toBe("NOBODY-1");
    expect(await page.locator("#field-points").inputValue()).toBe("500");
    expect(await text(page, ".error-summary a")).toBe(
      "Harbor Rewards has no member with the number NOBODY-1. Check it and try again.",
    );
    await checkPage(page, "member-transfer-refused");
    await unchanged();

    expect(await transfer(guest, "500")).toBe(400);
    expect(await fieldError("to_external_id")).toBe("Error: That is your own member number: enter the other member's.");
    await unchanged();

    // Below the minimum, which the browser's own check would stop: the server says it too.
    await page.evaluate(() => document.querySelector("form.member-framed")?.setAttribute("novalidate", ""));
    expect(await transfer(friend, "50")).toBe(400);
    expect(await fieldError("points")).toBe("Error: Enter a whole number of at least 100.");
    await unchanged();

    // The balance falls after the page was drawn: the write refuses what it no longer covers.
    await world.harbor.move("burn", guest, 4_500);
    expect(await transfer(friend, "1000")).toBe(409);
    expect(await fieldError("points")).toBe(
      "Error: Your balance does not cover 1,000 Harbor Rewards points: send fewer.",
    );
    expect(await page.locator("#field-to_external_id").inputValue()).toBe(friend);
    await world.harbor.move("earn", guest, 4_500);

    // Another transfer takes most of the month's maximum meanwhile.
    await visit(page, `${url}/transfer`);
    const sent = await world.api("POST", "/v1/transfers", {
      program_id: world.harbor.programId,
      from_external_id: guest,
      to_external_id: friend,
      points: 2_500,
      reference: "app",
    });
    expect(await transfer(friend, "1000")).toBe(409);
    expect(await fieldError("points")).toBe("Error: That is more than you may still send this month.");
    expect(await text(page, '[data-rule="month"]')).toBe("Monthly maximum: 3,000; 500 left this month.");
    expect(await world.rows(guest)).toEqual({ orders: 0, transfers: 1 });
    expect(await world.balance(guest)).toBe(5_000 - sent.points);
    await context.close();
  });

  it("says a refused order beside the quantity or at the top, keeps the address and writes nothing", async () => {
    const world = await actionsWorld();
    const { rewards } = world;
    const guest = await world.member("en", 5_000);
    const { page, url, context } = await world.open(guest);
    const address = {
      "Full name": "Ana Souza",
      Address: "Rua Augusta 1200",
      City: "São Paulo",
      "Postal code": "01304-001",
      Country: "Brazil",
    };
    const order = async (quantity: string) => {
      await page.getByLabel("Quantity").fill(quantity);
      for (const [label, value] of Object.entries(address)) await page.getByLabel(label, { exact: true }).fill(value);
      return submit(page, "Redeem");
    };
    const quantityError = () => text(page, "#field-quantity-error");

    // The balance falls under two mugs after the page was drawn.
    await visit(page, `${url}/rewards/${rewards.mug.id}`);
    await world.harbor.move("burn", guest, 4_700);
    expect(await order("2")).toBe(409);
    expect(await quantityError()).toBe("Error: Your balance does not cover 400 Harbor Rewards points: choose fewer.");
    expect(await page.getByLabel("Quantity").inputValue()).toBe("2");
    for (const [label, value] of Object.entries(address))
      expect(await page.getByLabel(label, { exact: true }).inputValue()).toBe(value);
    await checkPage(page, "member-order-refused");
    expect(await world.rows(guest)).toEqual({ orders: 0, transfers: 0 });
    expect(await world.stock(rewards.mug.id)).toBe(20);
    expect(await world.balance(guest)).toBe(300);
    await world.harbor.move("earn", guest, 4_700);

    // An address is needed, each field named.
    await visit(page, `${url}/rewards/${rewards.mug.id}`);
    await page.getByLabel("Full name", { exact: true }).fill("  ");
    await page.evaluate(() => document.querySelector("form.member-framed")?.setAttribute("novalidate", ""));
    expect(await submit(page, "Redeem")).toBe(400);
    expect(await page.locator(".error-summary li").allTextContents()).toEqual([
      "Fill in “Full name”.",
      "Fill in “Address”.",
      "Fill in “City”.",
      "Fill in “Postal code”.",
      "Fill in “Country”.",
    ]);

    // The member's limit (2) counts the orders placed elsewhere.
    await world.api("POST", "/v1/redemptions", {
      program_id: world.harbor.programId,
      external_id: guest,
      reward_id: rewards.mug.id,
      quantity: 2,
      delivery: { name: "Ana", address_lines: ["Rua 1"], city: "SP", postal_code: "01000", country: "BR" },
    });
    await visit(page, `${url}/rewards/${rewards.mug.id}`);
    expect(await order("1")).toBe(409);
    expect(await quantityError()).toBe("Error: You may redeem at most 2 of this reward, counting your earlier orders.");
    expect(await world.rows(guest)).toEqual({ orders: 1, transfers: 0 });

    // The last unit goes to someone else meanwhile.
    const last = await world.api("POST", `/v1/programs/${world.harbor.programId}/rewards`, {
      sku: "LAST",
      name: "Last seat",
      type: "experience",
      points_price: 100,
      stock: 1,
      fulfilment: "manual",
      active: true,
    });
    await visit(page, `${url}/rewards/${last.id}`);
    await world.api("POST", "/v1/redemptions", {
      program_id: world.harbor.programId,
      external_id: await world.member(),
      reward_id: last.id,
      quantity: 1,
    });
    expect(await submit(page, "Redeem")).toBe(409);
    expect(await text(page, ".error-summary li")).toBe("There are not that many left: choose fewer.");
    expect(await text(page, '[data-redeem="closed"]')).toBe("This reward is out of stock.");

    // The reward is switched off meanwhile.
    await visit(page, `${url}/rewards/${rewards.lounge.id}`);
    await world.api("PATCH", `/v1/rewards/${rewards.lounge.id}`, { active: false });
    expect(await submit(page, "Redeem")).toBe(403);
    expect(await text(page, ".error-summary li")).toBe("This reward is no longer available to you.");
    expect(await text(page, '[data-redeem="closed"]')).toBe("This reward is not available to you.");
    await checkPage(page, "member-order-not-eligible");
    expect(await world.rows(guest)).toEqual({ orders: 1, transfers: 0 });

    // The program's burn velocity rule rejects a second order within the hour: 429, said with its wait.
    const rules = await portal.gw.call("PUT", `/v1/programs/${world.harbor.programId}/velocity-rules`, {
      token: await portal.gw.operatorToken(),
      body: { max_burns_per_member_per_hour: 1, actions: { max_burns_per_member_per_hour: "reject" } },
    });
    expect(rules.status).toBe(200);
    const quick = await world.member("en");
    const second = await world.open(quick);
    await visit(second.page, `${second.url}/rewards/${rewards.gift.id}`);
    expect(await submit(second.page, "Redeem")).toBe(200);
    await visit(second.page, `${second.url}/rewards/${rewards.gift.id}`);
    expect(await submit(second.page, "Redeem")).toBe(429);
    expect(await text(second.page, ".error-summary li")).toMatch(
      /^You have used your points as often as the program allows for now: try again in \d+ (minutes|seconds)\.$/,
    );
    expect(await world.rows(quick)).toEqual({ orders: 1, transfers: 0 });
    await second.context.close();
    await context.close();
  });

  it("says when transfers are off, or not yet open to the member, and draws no form", async () => {
    const off = await actionsWorld({}, null);
    const guest = await off.member("ru");
    const { page, url, context } = await off.open(guest);
    await visit(page, `${url}/transfer`);
    expect(await heading(page)).toBe("Передать баллы");
    expect(await text(page, '[data-transfer="disabled"]')).toBe(
      "Эта программа не позволяет участникам передавать баллы друг другу.",
    );
    expect(await page.locator("main form").count()).toBe(0);
    await checkPage(page, "member-transfer-disabled-ru");
    await context.close();

    const young = await actionsWorld({}, { min_membership_days: 30 });
    const newcomer = await young.member("en");
    const opened = await young.open(newcomer);
    await visit(opened.page, `${opened.url}/transfer`);
    expect(await text(opened.page, '[data-rule="age"]')).toBe("Minimum membership: 30 days.");
    const from = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(
      new Date(portal.gw.clock.now().getTime() + 30 * day),
    );
    expect(await text(opened.page, '[data-transfer="closed"]')).toBe(`You can send points from ${from}.`);
    expect(await opened.page.locator("main form").count()).toBe(0);
    await opened.context.close();
  });
});

describe("held for review", () => {
  it("shows a held order and a held transfer as under review, in Portuguese", async () => {
    const world = await actionsWorld({ review_threshold_points: 500 });
    const guest = await world.member("pt-BR");
    const friend = await world.member();
    const { page, url, context } = await world.open(guest);
    await visit(page, `${url}/rewards/${world.rewards.lounge.id}`);
    await page.getByLabel("Quantidade").fill("2");
    expect(await submit(page, "Resgatar")).toBe(200);
    expect(await heading(page)).toBe("Pedido em análise");
    expect(await text(page, '[data-receipt="status"]')).toBe("Em análise");
    expect(await text(page, '[data-receipt="outcome"]')).toBe(
      "Em análise: seus 600 pontos Harbor Rewards ficam reservados até o programa aprovar o pedido.",
    );
    expect(await text(page, '[data-balance="pending"]')).toBe("600");
    await checkPage(page, "member-order-held-pt-BR");

    await visit(page, `${url}/transfer`);
    await page.getByLabel("Número de membro Harbor Rewards de quem recebe").fill(friend);
    await page.getByLabel("Pontos a enviar").fill("1000");
    expect(await submit(page, "Enviar pontos")).toBe(200);
    expect(await heading(page)).toBe("Transferência pendente");
    expect(await text(page, '[data-receipt="status"]')).toBe("Pendente");
    expect(await world.balance(friend)).toBe(2_000);
    await checkPage(page, "member-transfer-held-pt-BR");
    await context.close();
  });
});

/** A member page's form as the server drew it: its fields, to send again by hand. */
async function drawnForm(url: string) {
  const html = await (await fetch(url)).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
  return { _csrf: field("_csrf"), form_key: field("form_key") };
}

/** Posts a member form as a browser would, without following the redirect. */
const post = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });

describe("forms sent twice, or without the session's token", () => {
  it("refuses a form without the session's CSRF token (403) and changes nothing", async () => {
    const world = await actionsWorld();
    const guest = await world.member("en");
    const friend = await world.member();
    const { page, url, context } = await world.open(guest);
    const forge = (token: string | null) =>
      page.evaluate((value) => {
        const input = document.querySelector<HTMLInputElement>('input[name="_csrf"]');
        if (value === null) input?.remove();
        else if (input) input.value = value;
      }, token);

    for (const token of ["forged", null]) {
      await visit(page, `${url}/rewards/${world.rewards.mug.id}`);
      for (const [label, value] of Object.entries(languages.en.address))
        await page.getByLabel(label, { exact: true }).fill(value);
      await forge(token);
      expect(await submit(page, "Redeem")).toBe(403);
      expect(await text(page, "main")).toContain(
        "The form expired or did not come from this site. Reload the page and try again.",
      );

      await visit(page, `${url}/transfer`);
      await page.getByLabel(languages.en.recipient).fill(friend);
      await page.getByLabel("Points to send").fill("500");
      await forge(token);
      expect(await submit(page, "Send points")).toBe(403);
    }
    await checkPage(page, "member-csrf-refused");
    expect(await world.rows(guest)).toEqual({ orders: 0, transfers: 0 });
    expect({ guest: await world.balance(guest), friend: await world.balance(friend) }).toEqual({
      guest: 2_000,
      friend: 2_000,
    });
    expect(await world.stock(world.rewards.mug.id)).toBe(20);
    await context.close();
  });

  it("orders once and transfers once for a form sent twice at once, or again later", async () => {
    const world = await actionsWorld();
    const guest = await world.member("en");
    const friend = await world.member();
    const { url, context } = await world.open(guest);

    const reward = `${url}/rewards/${world.rewards.gift.id}`;
    const drawn = await drawnForm(reward);
    const twice = await Promise.all([1, 2].map(() => post(`${reward}/redeem`, { ...drawn, quantity: "1" })));
    expect(twice.map((response) => response.status)).toEqual([303, 303]);
    const [first, second] = twice.map((response) => response.headers.get("Location"));
    expect(first).toMatch(/\/orders\/rdm_/);
    expect(second).toBe(first);
    const again = await post(`${reward}/redeem`, { ...drawn, quantity: "1" });
    expect(again.headers.get("Location")).toBe(first);
    // The same form with other values is not a second order either: it is drawn again to send anew.
    const changed = await post(`${reward}/redeem`, { ...drawn, quantity: "2" });
    expect(changed.status).toBe(422);
    expect(await changed.text()).toContain(
      "This form was already sent with other values: check them and send it again.",
    );
    expect(await world.rows(guest)).toEqual({ orders: 1, transfers: 0 });
    expect(await world.balance(guest)).toBe(1_900);

    const transfer = `${url}/transfer`;
    const form = { ...(await drawnForm(transfer)), to_external_id: friend, points: "500" };
    const sent = await Promise.all([1, 2].map(() => post(transfer, form)));
    expect(sent.map((response) => response.status)).toEqual([303, 303]);
    expect(sent[0]?.headers.get("Location")).toMatch(/\/transfers\/trf_/);
    expect(sent[1]?.headers.get("Location")).toBe(sent[0]?.headers.get("Location"));
    expect(await world.rows(guest)).toEqual({ orders: 1, transfers: 1 });
    expect({ guest: await world.balance(guest), friend: await world.balance(friend) }).toEqual({
      guest: 1_400,
      friend: 2_487,
    });
    await context.close();
  });

  it("shows a member only their own orders and transfers: another member's are 404", async () => {
    const world = await actionsWorld();
    const owner = await world.member("en");
    const other = await world.member("en");
    const { url, context } = await world.open(owner);
    const reward = `${url}/rewards/${world.rewards.gift.id}`;
    const ordered = await post(`${reward}/redeem`, { ...(await drawnForm(reward)), quantity: "1" });
    const order = ordered.headers.get("Location") ?? "";
    // The other member receives this transfer: it is still the sender's.
    const form = { ...(await drawnForm(`${url}/transfer`)), to_external_id: other, points: "300" };
    const transfer = (await post(`${url}/transfer`, form)).headers.get("Location") ?? "";
    expect((await fetch(`${portal.base}${order}`)).status).toBe(200);
    expect((await fetch(`${portal.base}${transfer}`)).status).toBe(200);

    const theirs = await world.open(other);
    for (const path of [order, transfer]) {
      const id = path.split("/").at(-1);
      const kind = path.includes("/orders/") ? "orders" : "transfers";
      expect(await visit(theirs.page, `${theirs.url}/${kind}/${id}`)).toBe(404);
    }
    await checkPage(theirs.page, "member-other-order-404");
    // Nor does a token open another program's rewards.
    const elsewhere = await actionsWorld();
    expect(await visit(theirs.page, `${theirs.url}/rewards/${elsewhere.rewards.gift.id}`)).toBe(404);
    await theirs.context.close();
    await context.close();
  });
});
