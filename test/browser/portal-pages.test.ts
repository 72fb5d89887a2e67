import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { operatorCredential } from "../support/gateway";
import { checkPage, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * The portal-wide sweep: every page a partner admin, a viewer, the operator, a member and a visitor who is not
 * signed in can open passes axe-core with zero violations on a desktop (1280x800) and a phone (390x844), with a
 * screenshot of each kept in test-output/browser/axe-*. Each area's own tests check the states it builds; this
 * one makes sure no page is forgotten.
 */
vi.setConfig({ testTimeout: 120_000 }); // axe-core runs twice a page

let portal: PortalFixture;
beforeAll(async () => {
  portal = await startPortal();
  await portal.portalUser("admin@harbor.example", "admin");
  await portal.portalUser("viewer@harbor.example", "viewer");
  // An endpoint with a failed delivery, for the webhook pages.
  const { gw, setup } = portal;
  const created = await gw.call("POST", "/v1/webhook-endpoints", {
    token: await setup.token(),
    body: { url: "https://hooks.harbor.invalid/loyalty", event_types: ["points.earned"] },
  });
  if (created.status !== 201) throw new Error(`webhook endpoint: ${created.text}`);
  // A promotion, for its performance page.
  const promoted = await gw.call("POST", `/v1/programs/${setup.hotel.programId}/promotions`, {
    token: await setup.token(),
    body: {
      name: "Double points",
      status: "active",
      starts_at: gw.clock.now().toISOString(),
      trigger: "earn",
      reward: { multiplier_bps: 20_000 },
      control_group_bps: 1_000,
    },
  });
  if (promoted.status !== 201) throw new Error(`promotion: ${promoted.text}`);
  await setup.fund(10);
  await gw.deps.webhooks.idle();
  await gw.deps.webhooks.deliver();
}, 60_000);
afterAll(() => portal?.close());

describe("every portal page under axe-core, on a desktop and a phone", () => {
  it("a partner admin's: dashboard, statements, a statement, webhooks, a webhook's deliveries, credentials, tiers, segments, campaigns, promotions, a promotion, reports", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    for (const path of [
      "dashboard",
      "statements",
      "webhooks",
      "credentials",
      "tiers",
      "segments",
      "promotions",
      "promotions/campaigns",
      "reports",
    ]) {
      await page.goto(`${portal.base}/portal/${path}`);
      await checkPage(page, `axe-admin-${path.replace("/", "-")}`);
    }
    await page.goto(`${portal.base}/portal/statements`);
    await page.locator("main a[href^='/portal/statements/stm_']").first().click();
    await page.waitForURL(/\/portal\/statements\/stm_/);
    await checkPage(page, "axe-admin-statement");
    await page.goto(`${portal.base}/portal/webhooks`);
    await page.getByRole("link", { name: "https://hooks.harbor.invalid/loyalty" }).first().click();
    await page.waitForURL(/\/portal\/webhooks\/.+/);
    await checkPage(page, "axe-admin-webhook-deliveries");
    await page.goto(`${portal.base}/portal/promotions`);
    await page.getByRole("link", { name: "Double points" }).click();
    await page.waitForURL(/\/portal\/promotions\/pro_/);
    await checkPage(page, "axe-admin-promotion");
    await context.close();
  });

  it("a viewer's: dashboard, statements, a statement, and a page it may not open (403)", async () => {
    const { page, context } = await signedInPage(portal, "viewer@harbor.example");
    await checkPage(page, "axe-viewer-dashboard");
    await page.goto(`${portal.base}/portal/statements`);
    await checkPage(page, "axe-viewer-statements");
    await page.locator("main a[href^='/portal/statements/stm_']").first().click();
    await page.waitForURL(/\/portal\/statements\/stm_/);
    await checkPage(page, "axe-viewer-statement");
    const refused = await page.goto(`${portal.base}/portal/credentials`);
    expect(refused?.status()).toBe(403);
    await checkPage(page, "axe-viewer-403");
    await context.close();
  });

  it("the operator's: sign-in, its own view and the network", async () => {
    const context = await portal.newContext();
    const page = await context.newPage();
    await page.goto(`${portal.base}/portal/operator/login`);
    await checkPage(page, "axe-operator-login");
    await page.getByLabel("Client ID").fill(operatorCredential.clientId);
    await page.getByLabel("Client secret").fill(operatorCredential.secret);
    await Promise.all([page.waitForURL(`${portal.base}/portal/operator`), page.getByRole("button").last().click()]);
    await checkPage(page, "axe-operator");
    await page.goto(`${portal.base}/portal/operator/network`);
    await checkPage(page, "axe-operator-network");
    await context.close();
  });

  it("a member's conversion page, opened from POST /v1/member-sessions", async () => {
    const { gw, setup } = portal;
    const opened = await gw.call("POST", "/v1/member-sessions", {
      token: await setup.token(),
      body: { program_id: setup.hotel.programId, external_id: setup.guest },
    });
    expect(opened.status).toBe(201);
    const context = await portal.newContext({ viewport: "phone" });
    const page = await context.newPage();
    await page.goto(opened.body.url.replace(/^https?:\/\/[^/]+/, portal.base));
    await checkPage(page, "axe-member");
    await context.close();
  });

  it("a visitor's: sign-in, setting a password, and a page that does not exist (404)", async () => {
    const context = await portal.newContext();
    const page = await context.newPage();
    await page.goto(`${portal.base}/portal/login`);
    await checkPage(page, "axe-login");
    await page.goto(`${portal.base}/portal/set-password?token=not-a-token`);
    await checkPage(page, "axe-set-password");
    const missing = await page.goto(`${portal.base}/portal/nowhere`);
    expect(missing?.status()).toBe(404);
    await checkPage(page, "axe-404");
    await context.close();
  });
});
