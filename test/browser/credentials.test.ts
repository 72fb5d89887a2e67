import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserContext,
  checkPage,
  type Page,
  type PortalFixture,
  signedInPage,
  startPortal,
} from "../support/portal";

/**
 * API keys in the portal, in Chromium against a real gateway: named keys with their last use; creating and
 * rotating as POST, redirect, GET, the secret shown once (a reload, the back button or a replayed form makes
 * no other key); the confirmation naming the key and its last use, with a grace period for the old key;
 * revoked keys and keys being replaced offering no rotation (a forged form gets 409); on a desktop and a phone,
 * in English, Portuguese and Russian.
 */
let fixture: PortalFixture;
const admin = "keys@harbor.example";

beforeAll(async () => {
  fixture = await startPortal();
  await fixture.portalUser(admin, "admin");
}, 60_000);
afterAll(async () => {
  await fixture?.close();
});

const partnerId = () => fixture.setup.hotel.owner.partner.id;

/** The partner's credentials in the database: the ground truth of how many keys were made. */
const credentialRows = () =>
  fixture.gw.deps.reader.all<{ client_id: string; name: string | null; last_used_at: number | null }>(
    "select client_id, name, last_used_at from credentials where partner_id = ? order by created_at",
    [partnerId()],
  );

/** A token request with a key's id and secret, answered by its status. */
async function tokenStatus(clientId: string, secret: string) {
  const answer = await fixture.gw.call("POST", "/oauth/token", {
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
    }).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  return answer.status;
}

/** A key made through the API (as the operator), with its secret. */
async function apiKey(name: string) {
  const created = await fixture.gw.call("POST", `/v1/partners/${partnerId()}/credentials`, {
    token: await fixture.gw.operatorToken(),
    body: { name },
  });
  expect(created.status).toBe(201);
  return { clientId: created.body.client_id as string, secret: created.body.client_secret as string };
}

/** Gets a token with the key and waits until its last use is recorded (written after the answer, at most once a minute). */
async function useKey(key: { clientId: string; secret: string }) {
  expect(await tokenStatus(key.clientId, key.secret)).toBe(200);
  const minuteAgo = fixture.gw.clock.now().getTime() - 60_000;
  await expect
    .poll(async () => (await credentialRows()).find((row) => row.client_id === key.clientId)?.last_used_at ?? 0)
    .toBeGreaterThan(minuteAgo);
}

/** Switches a signed-in browser to a language, as the header's switch does (sign-in is in English). */
const speak = (context: BrowserContext, locale: string) =>
  context.addCookies([{ name: "cg_lang", value: locale, url: fixture.base }]);

const row = (page: Page, clientId: string) => page.locator(`tr[data-credential="${clientId}"]`);

/** The form's fields as the page has them, to replay the exact POST the browser sent. */
async function formFields(page: Page, selector: string) {
  return page
    .locator(selector)
    .evaluate((form: HTMLFormElement) =>
      Object.fromEntries([...new FormData(form)].map(([name, value]) => [name, String(value)])),
    );
}

/** Opens a key's confirmation from its row's Rotate link. */
async function openRotation(page: Page, clientId: string) {
  await row(page, clientId).getByRole("link").click();
  await page.waitForURL(`**/portal/credentials/${clientId}/rotate`);
}

/** Submits the confirmation with a grace period and waits for the list after the redirect. */
async function confirmRotation(page: Page, grace: string) {
  await page.getByLabel(grace).check();
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/portal/credentials"),
    page.getByRole("button", { name: "Rotate the key" }).click(),
  ]);
}

describe("API keys in the portal", { timeout: 60_000 }, () => {
  it("creates a named key: the secret shown once after the redirect, a reload, going back and a replayed form make no other key", async () => {
    const { page, context } = await signedInPage(fixture, admin);
    await useKey(fixture.setup.hotel.owner);
    await page.goto(`${fixture.base}/portal/credentials`);
    const owner = row(page, fixture.setup.hotel.owner.clientId);
    expect(await owner.locator("th").textContent()).toBe("Unnamed key");
    expect(await owner.locator('td[data-label="Last used"]').textContent()).toBe("Less than a minute ago");
    expect(await owner.locator('td[data-label="Status"]').textContent()).toBe("Active");
    await checkPage(page, "credentials-list");

    const before = (await credentialRows()).length;
    await page.getByLabel("Name (optional)").fill("Production checkout");
    const sent = await formFields(page, 'form[action="/portal/credentials"]');
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === "POST"),
      page.getByRole("button", { name: "Create the key" }).click(),
    ]);
    expect(response.status()).toBe(303);
    await page.waitForURL(`${fixture.base}/portal/credentials`);
    const clientId = (await page.locator("[data-client-id]").textContent()) ?? "";
    const secret = (await page.locator("[data-client-secret]").textContent()) ?? "";
    expect(secret).toMatch(/^cs_/);
    expect(page.url()).not.toContain(secret);
    expect(await page.getByRole("heading", { name: "Your new key: Production checkout" }).count()).toBe(1);
    expect(await row(page, clientId).locator("th").textContent()).toBe("Production checkout");
    expect(await row(page, clientId).locator('td[data-label="Last used"]').textContent()).toBe("Never used");
    expect((await credentialRows()).length).toBe(before + 1);
    await checkPage(page, "credentials-revealed");

    await page.reload();
    expect(await page.locator("[data-client-secret]").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    expect(await row(page, clientId).count()).toBe(1);
    expect((await credentialRows()).length).toBe(before + 1);
    await checkPage(page, "credentials-after-reload");

    await page.goBack();
    expect(await page.locator("[data-client-secret]").count()).toBe(0);
    // The same POST again, CSRF token, nonce and all: no other key, and the page says why.
    const replayed = await page.request.post(`${fixture.base}/portal/credentials`, { form: sent, maxRedirects: 0 });
    expect(replayed.status()).toBe(303);
    expect(replayed.headers().location).toBe("/portal/credentials?resubmitted=1");
    await page.goto(`${fixture.base}${replayed.headers().location}`);
    expect(await page.getByRole("status").textContent()).toContain("already sent");
    expect(await page.locator("[data-client-secret]").count()).toBe(0);
    expect((await credentialRows()).length).toBe(before + 1);
    expect(await tokenStatus(clientId, secret)).toBe(200);
    await context.close();
  });

  it("refuses a name over 80 characters, keeping what was typed and marking the field, and makes nothing", async () => {
    const { page, context } = await signedInPage(fixture, admin);
    await page.goto(`${fixture.base}/portal/credentials`);
    const before = (await credentialRows()).length;
    const long = "k".repeat(81);
    await page.getByLabel("Name (optional)").fill(long);
    await page.getByRole("button", { name: "Create the key" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("The name can be at most 80 characters long.");
    const field = page.getByLabel("Name (optional)");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await field.inputValue()).toBe(long);
    expect((await credentialRows()).length).toBe(before);
    await checkPage(page, "credentials-name-refused");
    await context.close();
  });

  it("rotates after a confirmation naming the key and its last use; with 1 hour of grace the old key still gets tokens, and the new key keeps the name", async () => {
    const staging = await apiKey("Staging");
    await useKey(staging);
    fixture.gw.clock.advance(3 * 3_600_000);
    const { page, context } = await signedInPage(fixture, admin);
    await page.goto(`${fixture.base}/portal/credentials`);
    await openRotation(page, staging.clientId);
    expect(await page.locator("[data-key-name]").textContent()).toBe("Staging");
    expect(await page.locator(".key-summary").textContent()).toContain(staging.clientId);
    expect(await page.locator("[data-last-used]").textContent()).toBe("3 hours ago");
    expect(await page.getByLabel("In 1 hour").isChecked()).toBe(true);
    await checkPage(page, "credentials-rotate-confirm");

    const before = (await credentialRows()).length;
    const sent = await formFields(page, "form.stack");
    await confirmRotation(page, "In 1 hour");
    const next = {
      clientId: (await page.locator("[data-client-id]").textContent()) ?? "",
      secret: (await page.locator("[data-client-secret]").textContent()) ?? "",
    };
    expect(await page.getByRole("heading", { name: "Your new key: Staging" }).count()).toBe(1);
    expect(await row(page, next.clientId).locator("th").textContent()).toBe("Staging");
    const old = row(page, staging.clientId);
    expect(await old.locator('td[data-label="Status"]').textContent()).toMatch(/^Being replaced: works until /);
    expect(await old.getByRole("link").count()).toBe(0);
    expect(await old.locator('td[data-label="Actions"]').textContent()).toBe("Already being replaced");
    await checkPage(page, "credentials-rotated");

    expect(await tokenStatus(staging.clientId, staging.secret)).toBe(200);
    expect(await tokenStatus(next.clientId, next.secret)).toBe(200);
    await page.reload();
    expect(await page.locator("[data-client-secret]").count()).toBe(0);
    expect((await credentialRows()).length).toBe(before + 1);

    // Sent again (the back button's resubmission): nothing more is made.
    const replayed = await page.request.post(`${fixture.base}/portal/credentials/${staging.clientId}/rotate`, {
      form: sent,
      maxRedirects: 0,
    });
    expect(replayed.status()).toBe(303);
    // A forged form for the key being replaced, with a fresh nonce: 409, and nothing changes.
    const forged = await page.request.post(`${fixture.base}/portal/credentials/${staging.clientId}/rotate`, {
      form: { ...sent, _nonce: "forged-nonce-0123456789" },
    });
    expect(forged.status()).toBe(409);
    expect(await forged.text()).toContain("already being replaced");
    expect((await page.request.get(`${fixture.base}/portal/credentials/${staging.clientId}/rotate`)).status()).toBe(
      409,
    );
    expect((await credentialRows()).length).toBe(before + 1);

    fixture.gw.clock.advance(3_600_000);
    expect(await tokenStatus(staging.clientId, staging.secret)).toBe(401);
    expect(await tokenStatus(next.clientId, next.secret)).toBe(200);
    await context.close();
  });

  it("rotates with no grace: the old key is refused at once, shows revoked with no Rotate, and a forged form gets 409", async () => {
    // Moved from portal.test.ts ("rotates a credential: a new secret shown once, the old credential revoked").
    const leaked = await apiKey("Leaked key");
    const { page, context } = await signedInPage(fixture, admin);
    await page.goto(`${fixture.base}/portal/credentials`);
    await openRotation(page, leaked.clientId);
    expect(await page.locator("[data-last-used]").textContent()).toBe("Never used");
    const sent = await formFields(page, "form.stack");
    await confirmRotation(page, "Now");
    const newClientId = (await page.locator("[data-client-id]").textContent()) ?? "";
    expect(newClientId).not.toBe(leaked.clientId);
    const old = row(page, leaked.clientId);
    expect(await old.locator('td[data-label="Status"]').textContent()).toMatch(/^Revoked on /);
    expect(await old.getByRole("link").count()).toBe(0);
    expect(await old.locator('td[data-label="Actions"]').textContent()).toBe("Revoked keys cannot be rotated");
    expect(await tokenStatus(leaked.clientId, leaked.secret)).toBe(401);

    const before = await credentialRows();
    const forged = await page.request.post(`${fixture.base}/portal/credentials/${leaked.clientId}/rotate`, {
      form: { ...sent, _nonce: "another-forged-nonce-42" },
    });
    expect(forged.status()).toBe(409);
    expect(await forged.text()).toContain("This key was revoked, so it cannot be rotated.");
    expect(await credentialRows()).toEqual(before);
    await page.goto(`${fixture.base}/portal/credentials/${leaked.clientId}/rotate`);
    await checkPage(page, "credentials-rotate-revoked");
    await context.close();
  });

  it("works on a phone in Portuguese: the table as cards labelled by column, a named key created and shown once", async () => {
    const { page, context } = await signedInPage(fixture, admin, { viewport: "phone" });
    await speak(context, "pt-BR");
    await page.goto(`${fixture.base}/portal/credentials`);
    expect(await page.locator("h1").textContent()).toBe("Credenciais de API");
    const labels = await page
      .locator(`tr[data-credential="${fixture.setup.hotel.owner.clientId}"] td`)
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-label")));
    expect(labels).toEqual(["Client ID", "Criada em", "Último uso", "Situação", "Ações"]);
    await page.getByLabel("Nome (opcional)").fill("Homologação");
    await page.getByRole("button", { name: "Criar a chave" }).click();
    await page.waitForURL(`${fixture.base}/portal/credentials`);
    expect(await page.getByRole("heading", { name: "Sua nova chave: Homologação" }).count()).toBe(1);
    expect(await page.locator("[data-client-secret]").textContent()).toMatch(/^cs_/);
    await checkPage(page, "credentials-revealed-pt-BR");
    await page.reload();
    expect(await page.locator("[data-client-secret]").count()).toBe(0);
    await checkPage(page, "credentials-list-pt-BR");
    await context.close();
  });

  it("confirms a rotation in Russian, naming the key and its last use", async () => {
    const key = await apiKey("Оплата на сайте");
    await useKey(key);
    fixture.gw.clock.advance(2 * 3_600_000);
    const { page, context } = await signedInPage(fixture, admin, { viewport: "phone" });
    await speak(context, "ru");
    await page.goto(`${fixture.base}/portal/credentials/${key.clientId}/rotate`);
    expect(await page.locator("h1").textContent()).toBe("Замена ключа");
    expect(await page.locator("[data-key-name]").textContent()).toBe("Оплата на сайте");
    expect(await page.locator("[data-last-used]").textContent()).toBe("2 часа назад");
    await checkPage(page, "credentials-rotate-confirm-ru");
    await context.close();
  });
});
