import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operatorCredential } from "../support/gateway";
import { checkPage, type Page, type PortalFixture, portalPassword, signedInPage, startPortal } from "../support/portal";

/**
 * Problems in words for people, in Chromium: error pages in the full layout (404 signed out and in, 403 for a
 * role, a form that expired, 429 from too many failed sign-ins), sign-in forms with the fields at fault marked and
 * an error summary, and the lockout; in English, Portuguese and Russian, on a desktop and a phone.
 */
let portal: PortalFixture;
let partnerName: string;
beforeAll(async () => {
  portal = await startPortal();
  partnerName = portal.setup.hotel.owner.partner.name;
  await portal.portalUser("admin@harbor.example", "admin");
  await portal.portalUser("viewer@harbor.example", "viewer");
  await portal.portalUser("finance@harbor.example", "finance");
}, 60_000);
afterAll(() => portal?.close());

const lang = (page: Page) => page.getAttribute("html", "lang");
const heading = (page: Page) => page.locator("h1").textContent();
const lead = (page: Page) => page.locator(".problem-page .lead").textContent();
/** Posts the sign-in form as it is on the page, browser validation aside (the server's is what is tested). */
const submit = (page: Page, path: string) =>
  Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === "POST"),
    page.locator("main form button[type=submit]").click(),
  ]).then(([response]) => response);

describe("error pages in the full layout", () => {
  it("404 signed out: says the page does not exist and offers sign-in, in English and Russian", async () => {
    const context = await portal.newContext({ viewport: "phone" });
    const page = await context.newPage();
    const response = await page.goto(`${portal.base}/portal/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await lang(page)).toBe("en");
    expect(await heading(page)).toBe("This page does not exist");
    expect(await page.locator('meta[name="viewport"]').count()).toBe(1);
    expect(await page.getByRole("link", { name: "Skip to content" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/portal/login");
    await checkPage(page, "problems-404-signed-out");
    // The language switch comes back to the same address, now in Russian.
    await page.goto(await page.locator('a[hreflang="ru"]').evaluate((link: HTMLAnchorElement) => link.href));
    expect(new URL(page.url()).pathname).toBe("/portal/no-such-page");
    expect(await lang(page)).toBe("ru");
    expect(await heading(page)).toBe("Такой страницы нет");
    expect(await page.getByRole("link", { name: "Войти" }).count()).toBe(1);
    await checkPage(page, "problems-404-signed-out-ru");
    await context.close();
  });

  it("404 signed in: the navigation of the manager's role and a way to the dashboard, in Portuguese", async () => {
    const { context, page } = await signedInPage(portal, "admin@harbor.example");
    const missing = "/portal/statements/stmt_nope/extra";
    const response = await page.goto(`${portal.base}/portal/lang?to=pt-BR&back=${encodeURIComponent(missing)}`);
    expect(response?.status()).toBe(404);
    expect(await lang(page)).toBe("pt-BR");
    expect(await heading(page)).toBe("Esta página não existe");
    expect(await page.locator("header nav:not(.languages) a").allTextContents()).toContain("Extratos");
    expect(await page.getByRole("link", { name: "Ir para o painel" }).getAttribute("href")).toBe("/portal/dashboard");
    expect(await page.locator(".problem-page code").textContent()).toMatch(/\S/);
    await checkPage(page, "problems-404-signed-in-pt");
    await context.close();
  });

  it("403 for a viewer on an admin page names the role and whom to ask, in English and Russian", async () => {
    const { context, page } = await signedInPage(portal, "viewer@harbor.example");
    const response = await page.goto(`${portal.base}/portal/credentials`);
    expect(response?.status()).toBe(403);
    expect(response?.headers()["content-type"]).toMatch(/^text\/html/);
    expect(await heading(page)).toBe("You cannot open this page");
    expect(await lead(page)).toBe(
      `Your role (viewer) cannot open this page: ask an admin of ${partnerName} to change your role.`,
    );
    expect(await page.getByRole("link", { name: "Go to your dashboard" }).count()).toBe(1);
    await checkPage(page, "problems-403-role");
    await page.goto(await page.locator('a[hreflang="ru"]').evaluate((link: HTMLAnchorElement) => link.href));
    expect(new URL(page.url()).pathname).toBe("/portal/credentials");
    expect(await lang(page)).toBe("ru");
    expect(await lead(page)).toBe(
      `Ваша роль (наблюдатель) не даёт открыть эту страницу: попросите администратора ${partnerName} изменить вашу роль.`,
    );
    await checkPage(page, "problems-403-role-ru");
    await context.close();
  });

  it("403 for a form that expired: reload and try again, with a way back to the form", async () => {
    const { context, page } = await signedInPage(portal, "finance@harbor.example");
    await page.goto(`${portal.base}/portal/lang?to=pt-BR&back=/portal/statements`);
    // The session's token changed under the page, as after signing in again in another tab.
    await page.locator('header input[name="_csrf"]').evaluate((input) => input.setAttribute("value", "stale"));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.locator("header form button").click(),
    ]);
    expect(response.status()).toBe(403);
    expect(await lang(page)).toBe("pt-BR");
    expect(await heading(page)).toBe("O formulário expirou");
    expect(await lead(page)).toBe("O formulário expirou ou não veio deste site: recarregue a página e tente de novo.");
    expect(await page.getByRole("link", { name: "Voltar ao formulário" }).getAttribute("href")).toBe(
      "/portal/statements",
    );
    await checkPage(page, "problems-403-csrf-pt");
    await context.close();
  });
});

describe("sign-in forms with the fields at fault marked", () => {
  it("marks empty or malformed fields, links them from a summary and keeps what was typed", async () => {
    const context = await portal.newContext();
    const page = await context.newPage();
    await page.goto(`${portal.base}/portal/login`);
    await page.getByLabel("Email").fill("not an email");
    const response = await submit(page, "/portal/login");
    expect(response.status()).toBe(400);
    const summary = page.getByRole("alert");
    expect(await summary.getByRole("heading").textContent()).toBe("There is a problem");
    const links = summary.getByRole("link");
    expect(await links.allTextContents()).toEqual([
      "Enter your email address, like name@example.com.",
      "Enter your password.",
    ]);
    expect(await links.first().getAttribute("href")).toBe("#field-email");
    const email = page.getByLabel("Email");
    expect(await email.inputValue()).toBe("not an email");
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    const described = (await email.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`#${described}`).textContent()).toBe(
      "Error: Enter your email address, like name@example.com.",
    );
    expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    // Marked by more than colour: a thicker border than a valid field's.
    expect(await email.evaluate((input) => getComputedStyle(input).borderTopWidth)).toBe("3px");
    await links.first().click();
    expect(new URL(page.url()).hash).toBe("#field-email");
    await checkPage(page, "problems-login-fields");
    await context.close();
  });

  it("says a wrong password in Russian, marking both fields, and the account's lockout after five", async () => {
    const context = await portal.newContext({ locale: "ru-RU", viewport: "phone" });
    const page = await context.newPage();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.goto(`${portal.base}/portal/login`);
      await page.locator('input[name="email"]').fill("finance@harbor.example");
      await page.locator('input[name="password"]').fill(`wrong password ${attempt}`);
      const response = await submit(page, "/portal/login");
      expect(response.status()).toBe(attempt < 5 ? 401 : 423);
      if (attempt === 1) {
        expect(await lang(page)).toBe("ru");
        expect(await page.getByRole("alert").getByRole("link").first().textContent()).toBe(
          "Почта или пароль указаны неверно: проверьте оба поля и введите пароль ещё раз.",
        );
        for (const name of ["email", "password"])
          expect(await page.locator(`input[name="${name}"]`).getAttribute("aria-invalid")).toBe("true");
        await checkPage(page, "problems-login-wrong-ru");
      }
    }
    // Locked, even against the right password; the message says for how long, in words.
    await page.locator('input[name="email"]').fill("finance@harbor.example");
    await page.locator('input[name="password"]').fill(portalPassword);
    expect((await submit(page, "/portal/login")).status()).toBe(423);
    expect(new URL(page.url()).pathname).toBe("/portal/login");
    expect(await page.getByRole("alert").locator("li").textContent()).toBe(
      "Учётная запись заблокирована из-за неверных паролей: войти можно будет позже, даже с верным паролем (блокировка: 15 минут).",
    );
    await checkPage(page, "problems-login-locked-ru");
    await context.close();
  });

  it("marks a password too short on the set-password form, in Portuguese", async () => {
    const invited = await portal.gw.call("POST", `/v1/partners/${portal.setup.hotel.owner.partner.id}/users`, {
      token: await portal.gw.operatorToken(),
      body: { email: "invited@harbor.example", role: "finance" },
    });
    const context = await portal.newContext({ locale: "pt-BR" });
    const page = await context.newPage();
    await page.goto(invited.body.set_password_url.replace(/^https?:\/\/[^/]+/, portal.base));
    await page.locator('input[name="password"]').fill("short");
    expect((await submit(page, "/portal/set-password")).status()).toBe(400);
    const password = page.locator('input[name="password"]');
    expect(await password.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("alert").getByRole("link").textContent()).toBe("Use pelo menos 12 caracteres.");
    await checkPage(page, "problems-set-password-pt");
    await context.close();
  });

  it("marks the operator's empty fields and keeps the client id typed", async () => {
    const context = await portal.newContext();
    const page = await context.newPage();
    await page.goto(`${portal.base}/portal/operator/login`);
    await page.getByLabel("Client ID").fill(operatorCredential.clientId);
    expect((await submit(page, "/portal/operator/login")).status()).toBe(400);
    expect(await page.getByLabel("Client ID").inputValue()).toBe(operatorCredential.clientId);
    expect(await page.getByLabel("Client ID").getAttribute("aria-invalid")).toBeNull();
    expect(await page.getByLabel("Client secret").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("alert").getByRole("link").textContent()).toBe("Enter the client secret.");
    await checkPage(page, "problems-operator-login-fields");
    await context.close();
  });
});

describe("too many failed sign-ins from one address", () => {
  it("answers 429 as a page saying how long to wait, with Retry-After", async () => {
    // The portal's limit on failed sign-ins per address (a million a minute in tests), used up at once.
    const { limiter } = portal.gw.deps;
    const rule = { limit: 1_000_000, windowMs: 60_000 };
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      const key = `request:portal-failures:${address}`;
      const left = await limiter.peek(key, rule);
      if (left.outcome === "allowed") await limiter.check(key, rule, left.remaining);
    }
    for (const [locale, title, wait] of [
      ["en-US", "Too many attempts", /^Too many attempts in a short time: wait \d+ seconds? and try again\.$/],
      ["pt-BR", "Tentativas demais", /^Tentativas demais em pouco tempo: aguarde \d+ segundos? e tente de novo\.$/],
    ] as const) {
      const context = await portal.newContext({ locale });
      const page = await context.newPage();
      await page.goto(`${portal.base}/portal/login`);
      await page.locator('input[name="email"]').fill("admin@harbor.example");
      await page.locator('input[name="password"]').fill(portalPassword);
      const response = await submit(page, "/portal/login");
      expect(response.status()).toBe(429);
      expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
      expect(await heading(page)).toBe(title);
      expect(await lead(page)).toMatch(wait);
      await checkPage(page, `problems-429-${locale}`);
      await context.close();
    }
  });
});
