import { Webhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";
import { startReceiver } from "../support/receiver";

/**
 * Webhook health in the portal, in Chromium against a real gateway and real receivers on this machine (so
 * private targets are allowed): the health badges, the delivery log and its failed-only filter, resend, a test
 * event, adding an endpoint (a refused form, then its secret shown once), rotating, disabling; on a desktop and a
 * phone, in English, Portuguese and Russian.
 */
let fixture: PortalFixture;
let healthy: Awaited<ReturnType<typeof startReceiver>>;
let failing: Awaited<ReturnType<typeof startReceiver>>;
const endpoints: Record<"healthy" | "failing" | "dns", { id: string; secret: string }> = {} as never;

async function addEndpoint(url: string, description: string) {
  const created = await fixture.gw.call("POST", "/v1/webhook-endpoints", {
    token: await fixture.setup.token(),
    body: { url, event_types: ["points.earned"], description },
  });
  expect(created.status).toBe(201);
  return { id: created.body.id as string, secret: created.body.secret as string };
}

/** Delivers every attempt due now, and waits for them. */
async function deliver() {
  await fixture.gw.deps.webhooks.idle();
  await fixture.gw.deps.webhooks.deliver();
}

beforeAll(async () => {
  fixture = await startPortal({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
  await fixture.portalUser("hooks@harbor.example", "admin");
  healthy = await startReceiver();
  failing = await startReceiver();
  failing.answer(() => ({ status: 500, body: "boom" }));
  endpoints.healthy = await addEndpoint(healthy.url, "Ledger sync");
  endpoints.failing = await addEndpoint(failing.url, "CRM");
  endpoints.dns = await addEndpoint("http://hooks.harbor.invalid/loyalty", "Old host");
  // One earn: delivered to the healthy receiver, refused by the failing one, no answer from the unknown host.
  await fixture.setup.fund(10);
  await deliver();
  // Its first retry, 5 s later, fails again.
  fixture.gw.clock.advance(5_000);
  await deliver();
}, 60_000);
afterAll(async () => {
  await healthy?.close();
  await failing?.close();
  await fixture?.close();
});

const row = (page: Page, text: string) => page.locator("tbody tr", { hasText: text });

describe("webhook health in the portal", () => {
  it("badges each endpoint healthy or failing, with its last success, next retry and disable date", async () => {
    const { page, context } = await signedInPage(fixture, "hooks@harbor.example");
    await page.goto(`${fixture.base}/portal/webhooks`);
    expect(await row(page, "Ledger sync").locator("td").first().textContent()).toBe("Healthy");
    const failingRow = await row(page, "CRM").textContent();
    expect(failingRow).toMatch(/Failing: 2 of the last 2 deliveries since/);
    expect(failingRow).toContain("Disabled if failures continue");
    expect(failingRow).toContain("Never");
    expect(await row(page, "CRM").locator('td[data-label="Next retry"]').textContent()).toMatch(/UTC$/);
    await checkPage(page, "webhooks-list");
    await context.close();
  });

  it("shows a failing endpoint's log in plain words, filters it to failures, and resends an event", async () => {
    const { page, context } = await signedInPage(fixture, "hooks@harbor.example");
    await page.goto(`${fixture.base}/portal/webhooks`);
    await page.getByRole("link", { name: failing.url }).click();
    expect(await page.locator("h2#log-title").textContent()).toBe("Delivery log");
    const first = page.locator("table.deliveries tbody tr").first();
    expect(await first.textContent()).toContain("The receiver answered 500 Internal Server Error");
    expect(await first.locator('td[data-label="Event"]').textContent()).toContain("points.earned");
    await checkPage(page, "webhooks-log");

    await page.getByRole("link", { name: "Failed only" }).click();
    expect(new URL(page.url()).searchParams.get("outcome")).toBe("failed");
    expect(await page.locator("table.deliveries tbody tr").count()).toBe(2);
    await checkPage(page, "webhooks-log-failed");

    failing.answer(() => ({ status: 200 }));
    const before = failing.received.length;
    await page
      .locator("table.deliveries tbody tr")
      .first()
      .getByRole("button", { name: /^Resend/ })
      .click();
    expect(await page.getByRole("status").first().textContent()).toMatch(/is being sent again now/);
    expect(new URL(page.url()).pathname).toBe(`/portal/webhooks/${endpoints.failing.id}`);
    await failing.waitFor(before + 1);
    await deliver();
    await page.goto(`${fixture.base}/portal/webhooks/${endpoints.failing.id}`);
    expect(await page.locator(".cards.health .badge").textContent()).toBe("Healthy");
    await context.close();
  });

  it("words a network error, and sends a signed test event only to the endpoint asked", async () => {
    const { page, context } = await signedInPage(fixture, "hooks@harbor.example");
    await page.goto(`${fixture.base}/portal/webhooks/${endpoints.dns.id}`);
    expect(await page.locator("table.deliveries tbody tr").first().textContent()).toContain(
      "Could not find the host name (DNS)",
    );

    await page.goto(`${fixture.base}/portal/webhooks/${endpoints.healthy.id}`);
    const [healthyBefore, failingBefore] = [healthy.received.length, failing.received.length];
    await page.getByRole("button", { name: "Send a test event" }).click();
    expect(await page.getByRole("status").first().textContent()).toMatch(
      /^Test event delivered: the receiver answered 200 OK in \d+ ms\.$/,
    );
    const [received] = healthy.received.slice(healthyBefore);
    expect(healthy.received.length).toBe(healthyBefore + 1);
    expect(failing.received.length).toBe(failingBefore);
    const verified = new Webhook(endpoints.healthy.secret).verify(
      received?.rawBody ?? "",
      received?.headers as Record<string, string>,
    ) as { type: string; data: { endpoint_id: string } };
    expect(verified.type).toBe("webhook_endpoint.test");
    expect(verified.data.endpoint_id).toBe(endpoints.healthy.id);
    expect(await page.locator("table.deliveries tbody tr").first().textContent()).toContain("A test event");
    await checkPage(page, "webhooks-test-event");
    await context.close();
  });

  it("refuses an endpoint form with the fields at fault marked and the values kept", async () => {
    const { page, context } = await signedInPage(fixture, "hooks@harbor.example");
    await page.goto(`${fixture.base}/portal/webhooks`);
    await page.getByLabel("Endpoint URL").fill("ftp://hooks.harbor.example/in");
    await page.getByLabel("Description (optional)").fill("Data lake");
    const response = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    expect((await response).status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toContain("The endpoint was not added");
    const url = page.getByLabel("Endpoint URL");
    expect(await url.inputValue()).toBe("ftp://hooks.harbor.example/in");
    expect(await url.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#webhook-url-error").textContent()).toBe("Use an https:// URL.");
    expect(await page.locator("#webhook-types-error").textContent()).toBe("Choose at least one event type.");
    expect(await page.getByLabel("Description (optional)").inputValue()).toBe("Data lake");
    await checkPage(page, "webhooks-create-error");
    await context.close();
  });

  it("adds an endpoint and shows its secret once, after a redirect; a reload neither shows it nor adds another", async () => {
    const { page, context } = await signedInPage(fixture, "hooks@harbor.example");
    await page.goto(`${fixture.base}/portal/webhooks`);
    const before = await page.locator("table.webhooks tbody tr").count();
    await page.getByLabel("Endpoint URL").fill(`${healthy.url}?new`);
    await page.getByLabel(/Points were earned/).check();
    await page.getByLabel(/A statement was issued/).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const path = new URL(page.url()).pathname;
    expect(path).toMatch(/^\/portal\/webhooks\/whe_/);
    const secret = (await page.locator("[data-webhook-secret]").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    expect(page.url()).not.toContain(secret);
    expect(await page.getByRole("status").first().textContent()).toContain("it is shown only once");
    await checkPage(page, "webhooks-secret");

    await page.reload();
    expect(await page.locator("[data-webhook-secret]").count()).toBe(0);
    await page.goto(`${fixture.base}/portal/webhooks`);
    expect(await page.locator("table.webhooks tbody tr").count()).toBe(before + 1);

    // Rotating shows the new secret once, too; the old one keeps signing for 24 hours.
    await page.goto(`${fixture.base}${path}`);
    await page.getByText("Rotate the secret").click();
    await page.getByRole("button", { name: "Rotate now" }).click();
    const rotated = (await page.locator("[data-webhook-secret]").textContent()) ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(await page.getByRole("status").first().textContent()).toContain("The old one keeps signing until");
    await page.reload();
    expect(await page.locator("[data-webhook-secret]").count()).toBe(0);
    await context.close();
  });

  it("disables and enables an endpoint, saying why it is disabled", async () => {
    const { page, context } = await signedInPage(fixture, "hooks@harbor.example");
    await page.goto(`${fixture.base}/portal/webhooks/${endpoints.dns.id}`);
    await page.getByRole("button", { name: "Disable" }).click();
    expect(await page.getByRole("status").first().textContent()).toContain("Endpoint disabled");
    expect(await page.locator(".cards.health .badge").textContent()).toMatch(/^Disabled on .+ \(by your team\)$/);
    expect(await page.getByRole("button", { name: "Send a test event" }).count()).toBe(0);
    await checkPage(page, "webhooks-disabled");
    await page.getByRole("button", { name: "Enable" }).click();
    expect(await page.getByRole("status").first().textContent()).toContain("Endpoint enabled");
    await context.close();
  });

  it("speaks Portuguese on a desktop: badges and their counts", async () => {
    // Another earn, which the unknown host fails again (enabling it above ended its failure streak).
    await fixture.setup.fund(10);
    await deliver();
    const pt = await signedInPage(fixture, "hooks@harbor.example");
    await pt.page.goto(`${fixture.base}/portal/lang?to=pt-BR&back=/portal/webhooks`);
    expect(await pt.page.locator("h2#create-title").textContent()).toBe("Adicionar um endpoint");
    expect(await row(pt.page, "Ledger sync").locator(".badge").textContent()).toBe("Saudável");
    expect(await row(pt.page, "hooks.harbor.invalid").locator(".badge").textContent()).toMatch(
      /^Com falhas: \d+ das últimas \d+ entregas desde /,
    );
    await checkPage(pt.page, "webhooks-list-pt-BR");
    await pt.context.close();
  });

  it("speaks Russian on a phone: the log as stacked cards, outcomes, errors and resend", async () => {
    const ru = await signedInPage(fixture, "hooks@harbor.example", { viewport: "phone" });
    const log = `/portal/webhooks/${endpoints.dns.id}?outcome=failed`;
    await ru.page.goto(`${fixture.base}/portal/lang?to=ru&back=${encodeURIComponent(log)}`);
    const card = ru.page.locator("table.deliveries tbody tr").first();
    expect(await card.textContent()).toContain("Имя хоста не найдено (DNS)");
    expect(await card.textContent()).toContain("Ошибка сети");
    // Under 600 px the log is stacked cards, each value under its column's name.
    expect(await card.evaluate((element) => getComputedStyle(element).display)).toBe("block");
    await card.getByRole("button", { name: /^Отправить снова evt_/ }).click();
    expect(await ru.page.getByRole("status").first().textContent()).toContain("отправляется снова");
    await checkPage(ru.page, "webhooks-log-ru");
    await ru.context.close();
  });
});
