import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, testOutput } from "../support/browser";
import { setupConversion } from "../support/conversions";
import { createTestGateway, operatorCredential, type TestGateway } from "../support/gateway";

/**
 * The portal in a real browser (Debian Chromium through playwright-core) against a real gateway on a local
 * port: sign-in, dashboard, statements and their downloads, languages, CSRF, lockout. (The hosted member page
 * has its own suite, member.test.ts.) Screenshots go to test-output/browser/.
 */
let gw: TestGateway;
let server: { url: string; stop: () => Promise<void> };
let browser: Browser;
let base: string;
let setup: Awaited<ReturnType<typeof setupConversion>>;
const password = "correct horse battery staple";

async function portalUser(email: string, role: "admin" | "finance" | "viewer") {
  const created = await gw.call("POST", `/v1/partners/${setup.hotel.owner.partner.id}/users`, {
    token: await gw.operatorToken(),
    body: { email, role, password },
  });
  if (created.status !== 201) throw new Error(`portal user: ${created.text}`);
}

beforeAll(async () => {
  gw = await createTestGateway();
  server = await gw.listen();
  // localhost, not 127.0.0.1: the browser keeps Secure cookies for it over plain http.
  base = server.url.replace("127.0.0.1", "localhost");
  setup = await setupConversion(gw);
  const start = new Date(gw.clock.now().getTime() - 1000).toISOString();
  await setup.fund(5_000);
  await setup.hotel.move("burn", setup.guest, 500, { token: await setup.token() });
  gw.clock.advance(1000);
  await gw.call("POST", "/v1/settlement-periods", {
    token: await gw.operatorToken(),
    body: { start, end: gw.clock.now().toISOString() },
  });
  await portalUser("admin@harbor.example", "admin");
  await portalUser("viewer@harbor.example", "viewer");
  await portalUser("finance@harbor.example", "finance");
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await gw?.close();
});

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/portal/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Every visible input and select has a label. */
async function expectLabelledInputs(page: Page) {
  const unlabelled = await page.$$eval("input:not([type=hidden]), select", (elements) =>
    elements
      .filter((element) => (element as HTMLInputElement).labels?.length === 0)
      .map((element) => element.outerHTML),
  );
  expect(unlabelled).toEqual([]);
}

describe("the partner portal in Chromium", () => {
  let page: Page;

  it("signs a manager in and shows the dashboard's KPIs and chart", async () => {
    const context = await browser.newContext({ acceptDownloads: true, locale: "en-US" });
    page = await context.newPage();
    await page.goto(`${base}/portal/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/portal/login");
    await expectLabelledInputs(page);
    await signIn(page, "admin@harbor.example");
    await page.waitForURL(`${base}/portal/dashboard`);
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === "cg_session")).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
    });
    await expect.poll(() => page.locator('[data-kpi="kpi.issued"] dd.value').textContent()).toBe("5,000");
    expect(await page.locator('[data-kpi="kpi.redeemed"] dd.value').textContent()).toBe("500");
    expect(await page.locator('[data-kpi="kpi.redemptionRate"] dd.value').textContent()).toBe("10%");
    // 4,500 points outstanding at the owner's redeem price of 10,000 micros: $45.00.
    expect(await page.locator('[data-kpi="kpi.liability"] dd.value').textContent()).toBe("$45.00");
    // The chart's wide drawing (a narrow one for phones has the same bars; test/browser/layout.test.ts).
    expect(await page.locator("figure.chart svg.wide rect:is(.issued, .redeemed)").count()).toBe(60);
    const drawn = await page.$$eval("svg.wide rect.issued, svg.wide rect.redeemed", (bars) =>
      bars.filter((bar) => Number(bar.getAttribute("height")) > 0).map((bar) => bar.getAttribute("class")),
    );
    expect(drawn).toEqual(["issued", "redeemed"]); // today's bars; the other 29 days had nothing
    await screenshot(page, "dashboard-en");
  });

  it("lists statements, shows one, and downloads its CSV and PDF", async () => {
    await page.getByRole("link", { name: "Statements", exact: true }).click();
    await page.getByRole("link", { name: "View" }).first().click();
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/^Statement for /);
    // The hotel's own points only: memo lines, nothing changes hands (test/browser/statements.test.ts has more).
    expect(await page.locator(".statement-summary .net").textContent()).toBe("Nothing to settle");
    await screenshot(page, "statement-en");

    const [csvDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    const csvPath = join(testOutput, csvDownload.suggestedFilename());
    await csvDownload.saveAs(csvPath);
    const csv = readFileSync(csvPath, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain("statement_id,partner,period_start,period_end,currency,kind,direction");
    expect(csv).toContain("points_issued,memo");
    expect(csv).toContain("\r\nnet,,nothing_to_settle,0.00,0,");

    const [pdfDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download PDF" }).click(),
    ]);
    const pdfPath = join(testOutput, pdfDownload.suggestedFilename());
    await pdfDownload.saveAs(pdfPath);
    const pdf = await PDFDocument.load(readFileSync(pdfPath));
    expect(pdf.getTitle()).toMatch(/^Settlement statement stm_/);
  });

  it("switches language, formatting numbers and money for it", async () => {
    await page.goto(`${base}/portal/dashboard`);
    await page.getByRole("link", { name: "Português (Brasil)" }).click();
    await page.waitForURL(`${base}/portal/dashboard`);
    expect(await page.getAttribute("html", "lang")).toBe("pt-BR");
    expect(await page.locator("h1").textContent()).toBe("Painel");
    expect(await page.locator('[data-kpi="kpi.issued"] dd.value').textContent()).toBe("5.000");
    expect((await page.locator('[data-kpi="kpi.liability"] dd.value').textContent())?.replace(/\s/g, " ")).toBe(
      "US$ 45,00",
    );
    await screenshot(page, "dashboard-pt-BR");
    await page.getByRole("link", { name: "Русский" }).click();
    await page.waitForURL(`${base}/portal/dashboard`);
    expect(await page.locator("h1").textContent()).toBe("Сводка");
    expect((await page.locator('[data-kpi="kpi.issued"] dd.value').textContent())?.replace(/\s/g, " ")).toBe("5 000");
    await screenshot(page, "dashboard-ru");
    await page.getByRole("link", { name: "English" }).click();
    expect(await page.locator("h1").textContent()).toBe("Dashboard");
  });

  it("refuses a form without the session's CSRF token, or from another origin, and changes nothing", async () => {
    await page.goto(`${base}/portal/credentials`);
    const before = await gw.deps.reader.all("select client_id from credentials where partner_id = ?", [
      setup.hotel.owner.partner.id,
    ]);
    const attempts: { form: Record<string, string>; headers: Record<string, string> }[] = [
      { form: { _csrf: "forged" }, headers: {} },
      { form: {}, headers: {} },
      {
        form: { _csrf: (await page.locator('input[name="_csrf"]').first().inputValue()) ?? "" },
        headers: { Origin: "https://evil.example" },
      },
    ];
    for (const attempt of attempts) {
      const response = await page.request.post(`${base}/portal/credentials`, attempt);
      expect(response.status()).toBe(403);
    }
    const after = await gw.deps.reader.all("select client_id from credentials where partner_id = ?", [
      setup.hotel.owner.partner.id,
    ]);
    expect(after).toEqual(before);
    // The real form works.
    await page.getByRole("button", { name: "Create the key" }).click();
    expect(await page.locator("[data-client-secret]").textContent()).toMatch(/^cs_/);
  });

  // Rotating a credential (confirmation, grace period, shown once, reload) is in test/browser/credentials.test.ts.

  it("signs out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${base}/portal/login`);
    await page.goto(`${base}/portal/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/portal/login");
  });
});

describe("roles and first sign-in", () => {
  it("can be used with the keyboard alone: skip link, fields in order, Enter to submit", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${base}/portal/login`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    const focused = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? "");
    for (let i = 0; i < 10 && (await focused()) !== "email"; i++) await page.keyboard.press("Tab");
    expect(await focused()).toBe("email");
    await page.keyboard.type("viewer@harbor.example");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("password");
    await page.keyboard.type(password);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/portal/dashboard`);
    await context.close();
  });

  it("lets a viewer read statements but not download them", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await signIn(page, "viewer@harbor.example");
    await page.waitForURL(`${base}/portal/dashboard`);
    expect(await page.getByRole("link", { name: "API credentials" }).count()).toBe(0);
    await page.getByRole("link", { name: "Statements", exact: true }).click();
    await page.getByRole("link", { name: "View" }).first().click();
    expect(await page.getByRole("link", { name: "Download CSV" }).count()).toBe(0);
    const id = new URL(page.url()).pathname.split("/").pop();
    expect((await page.request.get(`${base}/portal/statements/${id}.csv`)).status()).toBe(403);
    expect((await page.request.get(`${base}/portal/credentials`)).status()).toBe(403);
    await context.close();
  });

  it("sets a first password from the one-time link, then signs in with it", async () => {
    const invited = await gw.call("POST", `/v1/partners/${setup.hotel.owner.partner.id}/users`, {
      token: await gw.operatorToken(),
      body: { email: "new.manager@harbor.example", role: "finance" },
    });
    const link = invited.body.set_password_url.replace(/^https?:\/\/[^/]+/, base);
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel("New password (at least 12 characters)").fill(password);
    await page.getByRole("button", { name: "Save password" }).click();
    await page.waitForURL(`${base}/portal/login`);
    await signIn(page, "new.manager@harbor.example");
    await page.waitForURL(`${base}/portal/dashboard`);
    await page.goto(link); // the link worked once
    await page.getByLabel("New password (at least 12 characters)").fill("another long password");
    await page.getByRole("button", { name: "Save password" }).click();
    expect(await page.getByRole("alert").textContent()).toMatch(/not valid or has expired/);
    await context.close();
  });
});

describe("sign-in protection", () => {
  it("locks an account after five wrong passwords, even against the right one", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    for (let i = 0; i < 5; i++) {
      await page.goto(`${base}/portal/login`);
      await page.getByLabel("Email").fill("finance@harbor.example");
      await page.getByLabel("Password").fill(`wrong password ${i}`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/portal/login") && r.request().method() === "POST"),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);
      // The fifth locks and says so; an unknown email locks the same way (test/api/portal-hardening.test.ts).
      expect(response.status()).toBe(i < 4 ? 401 : 423);
    }
    await signIn(page, "finance@harbor.example");
    await expect
      .poll(() => page.getByRole("alert").locator("li").textContent())
      .toBe(
        "Too many failed attempts: this account is locked for 15 minutes. Try again then, even with the right password.",
      );
    expect(new URL(page.url()).pathname).toBe("/portal/login");
    expect(await page.getByText("After 5 wrong passwords in a row").count()).toBe(1);
    await screenshot(page, "login-locked");
    await context.close();
  });

  it("refuses a sign-in form posted without its CSRF token", async () => {
    const context = await browser.newContext();
    const response = await context.request.post(`${base}/portal/login`, {
      form: { email: "admin@harbor.example", password },
    });
    expect(response.status()).toBe(403);
    expect((await context.cookies()).find((cookie) => cookie.name === "cg_session")).toBeUndefined();
    await context.close();
  });

  it("gives the operator its own view", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${base}/portal/operator/login`);
    await page.getByLabel("Client ID").fill(operatorCredential.clientId);
    await page.getByLabel("Client secret").fill(operatorCredential.secret);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/portal/operator`);
    expect(await page.getByRole("heading", { name: "Review queue" }).count()).toBe(1);
    expect(await page.getByText(setup.hotel.owner.partner.name).count()).toBe(1);
    await expectLabelledInputs(page);
    await screenshot(page, "operator");
    // Closing a period (preview, confirmation, result) is in test/browser/operator.test.ts.
    await context.close();
  });
});

describe("suspension", () => {
  it("signs a suspended partner's managers out at once, and back in after reactivation", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await signIn(page, "viewer@harbor.example");
    await page.waitForURL(`${base}/portal/dashboard`);
    const operator = await gw.operatorToken();
    const partnerId = setup.hotel.owner.partner.id;
    await gw.call("POST", `/v1/partners/${partnerId}/suspend`, { token: operator });
    await page.goto(`${base}/portal/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/portal/login");
    await signIn(page, "viewer@harbor.example");
    expect(await page.getByRole("alert").locator("li").first().textContent()).toBe(
      "Email or password is not right. Check both, and type the password again.",
    );
    await gw.call("POST", `/v1/partners/${partnerId}/reactivate`, { token: operator });
    await signIn(page, "viewer@harbor.example");
    await page.waitForURL(`${base}/portal/dashboard`);
    await context.close();
  });
});

/**
 * What the page's Content-Security-Policy refused: Chromium reports each refusal as a console error and as a
 * `securitypolicyviolation` event (listened to from an init script, which the policy does not govern).
 */
async function policyViolations(page: Page) {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const seen = window as unknown as { violations?: string[] };
      seen.violations = [...(seen.violations ?? []), `${event.effectiveDirective} ${event.blockedURI}`];
    });
  });
  return refused;
}

describe("the portal's Content-Security-Policy in Chromium", () => {
  it("renders every page, styled, with nothing refused", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const refused = await policyViolations(page);
    // Subresources (stylesheet, icon) that failed to load, as the console would log them.
    const failed: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== "document") failed.push(response.url());
    });
    const styled = async (name: string) => {
      // The stylesheet applied: the page has the portal's background, not the browser's white.
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), name).toBe(
        "rgb(246, 247, 249)",
      );
      expect(
        await page.evaluate(() => (window as unknown as { violations?: string[] }).violations ?? []),
        name,
      ).toEqual([]);
    };
    for (const path of ["/portal/login", "/portal/operator/login", "/portal/set-password?token=x", "/portal/nowhere"]) {
      await page.goto(`${base}${path}`);
      await styled(path);
    }
    await signIn(page, "admin@harbor.example");
    await page.waitForURL(`${base}/portal/dashboard`);
    await styled("dashboard");
    for (const link of ["Statements", "View", "Webhooks", "API credentials"]) {
      await page.getByRole("link", { name: link }).first().click();
      await page.waitForLoadState();
      await styled(link);
    }
    const opened = await gw.call("POST", "/v1/member-sessions", {
      token: await setup.token(),
      body: { program_id: setup.hotel.programId, external_id: setup.guest },
    });
    await page.goto(opened.body.url.replace(/^https?:\/\/[^/]+/, base));
    await styled("member page");
    expect(refused).toEqual([]);
    expect(failed).toEqual([]);
    await context.close();
  });

  it("has an icon, which Chromium draws as an SVG image", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused = await policyViolations(page);
    await page.goto(`${base}/portal/login`);
    const href = await page.getAttribute('link[rel="icon"]', "href");
    expect(href).toBe("/portal/assets/favicon.svg");
    for (const path of [href, "/favicon.ico"]) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.status(), path ?? "").toBe(200);
      expect(await page.evaluate(() => document.documentElement.localName), path ?? "").toBe("svg");
    }
    expect(refused).toEqual([]);
    await context.close();
  });

  it("runs no script, not even one injected into a page", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const refused = await policyViolations(page);
    await page.goto(`${base}/portal/login`);
    // As markup would inject them, were an escape ever missed: an inline script and an event handler.
    const ran = await page.evaluate(async () => {
      const flags = window as unknown as { inline?: boolean; handler?: boolean };
      const script = document.createElement("script");
      script.textContent = "window.inline = true";
      document.body.append(script);
      const image = document.createElement("img");
      image.setAttribute("onerror", "window.handler = true");
      image.src = "/portal/assets/missing.png";
      document.body.append(image);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { inline: flags.inline ?? false, handler: flags.handler ?? false };
    });
    expect(ran).toEqual({ inline: false, handler: false });
    expect(refused.length).toBeGreaterThan(0);
    // Both refusals were reported as events too: so "no violations" on the other pages means none happened.
    expect(await page.evaluate(() => (window as unknown as { violations?: string[] }).violations)).toEqual([
      "script-src-elem inline",
      "script-src-attr inline",
    ]);
    await context.close();
  });
});
