import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { negotiateLocale } from "../../partner-portal/i18n";
import { createTestGateway, type TestGateway } from "../support/gateway";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

describe("portal pages over HTTP", () => {
  it("serve HTML with a script-free CSP, a same-origin referrer policy and a locked-down login cookie", async () => {
    const page = await gw.app.request("/portal/login");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    expect(page.headers.get("set-cookie")).toMatch(
      /^cg_csrf=[\w-]+; Max-Age=3600; Path=\/portal; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(await page.text()).toMatch(/^<!DOCTYPE html><html lang="en">/);
  });

  it("answers unknown pages with an HTML page in the visitor's language, not problem JSON", async () => {
    const page = await gw.app.request("/portal/no-such-page", { headers: { "Accept-Language": "pt-BR" } });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("<h1>Esta página não existe</h1>");
  });

  it("redirects the language switch only back into the portal", async () => {
    const inside = await gw.app.request("/portal/lang?to=ru&back=/portal/statements");
    expect(inside.status).toBe(303);
    expect(inside.headers.get("location")).toBe("/portal/statements");
    expect(inside.headers.get("set-cookie")).toMatch(/^cg_lang=ru;/);
    for (const back of ["https://evil.example/", "//evil.example/portal", "/v1/partners"]) {
      const outside = await gw.app.request(`/portal/lang?to=en&back=${encodeURIComponent(back)}`);
      expect(outside.headers.get("location"), back).toBe("/portal");
    }
  });
});

describe("language negotiation", () => {
  it.each([
    [undefined, "pt-BR,pt;q=0.9,en;q=0.8", "pt-BR"],
    [undefined, "pt-PT", "pt-BR"],
    [undefined, "ru-RU,ru;q=0.9", "ru"],
    [undefined, "de-DE,ru;q=0.5,en;q=0.4", "ru"],
    [undefined, "fr", "en"],
    [undefined, undefined, "en"],
    ["ru", "pt-BR", "ru"],
    ["xx", "pt-BR", "pt-BR"],
  ])("cookie %s and Accept-Language %s speak %s", (cookie, accept, expected) => {
    expect(negotiateLocale(cookie, accept)).toBe(expected);
  });
});
