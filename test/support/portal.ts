import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults } from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium, screenshot } from "./browser";
import { setupConversion } from "./conversions";
import { createTestGateway, type TestGateway } from "./gateway";

/**
 * What the portal's browser tests share: a gateway on a local port with a hotel and an airline (a member of
 * each, a rate, a statement from a closed period), portal users of the hotel, Chromium, signing in, and the
 * check every page passes (axe-core, screenshots on a desktop and a phone).
 */
export const portalPassword = "correct horse battery staple";

export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export type PortalFixture = Awaited<ReturnType<typeof startPortal>>;

/** `settings` are the gateway's (e.g. `WEBHOOK_ALLOW_PRIVATE_TARGETS` for a receiver on this machine). */
export async function startPortal(settings: Record<string, string> = {}) {
  const gw = await createTestGateway(settings);
  const server = await gw.listen();
  // localhost, not 127.0.0.1: the browser keeps Secure cookies for it over plain http.
  const base = server.url.replace("127.0.0.1", "localhost");
  const setup = await setupConversion(gw);
  const start = new Date(gw.clock.now().getTime() - 1000).toISOString();
  await setup.fund(5_000);
  await setup.hotel.move("burn", setup.guest, 500, { token: await setup.token() });
  gw.clock.advance(1000);
  const closed = await gw.call("POST", "/v1/settlement-periods", {
    token: await gw.operatorToken(),
    body: { start, end: gw.clock.now().toISOString() },
  });
  if (closed.status !== 201) throw new Error(`closing the period: ${closed.text}`);
  const browser = await launchChromium();

  /** A portal user of the hotel's partner (or `partnerId`'s), with the shared password. */
  async function portalUser(
    email: string,
    role: "admin" | "finance" | "viewer",
    partnerId = setup.hotel.owner.partner.id,
  ) {
    const created = await gw.call("POST", `/v1/partners/${partnerId}/users`, {
      token: await gw.operatorToken(),
      body: { email, role, password: portalPassword },
    });
    if (created.status !== 201) throw new Error(`portal user: ${created.text}`);
  }

  /** A browser context at a viewport and language; axe-core is injected into pages, so the portal's CSP is bypassed. */
  const newContext = (options: { viewport?: keyof typeof viewports; locale?: string } = {}) =>
    browser.newContext({
      acceptDownloads: true,
      bypassCSP: true,
      locale: options.locale ?? "en-US",
      viewport: viewports[options.viewport ?? "desktop"],
    });

  return {
    gw,
    base,
    browser,
    setup,
    portalUser,
    newContext,
    async close() {
      await browser.close();
      await server.stop();
      await gw.close();
    },
  };
}

/** Signs `email` in through the sign-in form (in English) and waits for the page after it. */
export async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/portal/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(portalPassword);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/portal/login"),
    page.getByRole("button").last().click(),
  ]);
}

/** A signed-in page for `email`, in a new context. */
export async function signedInPage(
  fixture: PortalFixture,
  email: string,
  options: Parameters<PortalFixture["newContext"]>[0] = {},
) {
  const context = await fixture.newContext(options);
  const page = await context.newPage();
  await signIn(page, fixture.base, email);
  return { context, page };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's violations on the page as it is now (WCAG 2.1 A and AA rules and best practices). */
export async function axeViolations(page: Page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }).axe.run(
      document,
      { resultTypes: ["violations"] },
    ),
  )) as AxeResults;
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => node.target.join(" ")),
  }));
}

/**
 * The check every portal page passes: no axe-core violation, at the desktop's and the phone's size, with a
 * full-page screenshot of each kept in test-output/browser/<name>-desktop.png and -phone.png. The viewport is
 * restored afterwards.
 */
export async function checkPage(page: Page, name: string) {
  const before = page.viewportSize();
  for (const [size, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    expect(await axeViolations(page), `${name} at ${size}`).toEqual([]);
    await screenshot(page, `${name}-${size}`);
  }
  if (before) await page.setViewportSize(before);
}

export type { Browser, BrowserContext, Page, TestGateway };
