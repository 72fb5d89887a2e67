import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { negotiateLocale } from "../../partner-portal/i18n";
import { createTestGateway, type TestGateway } from "../support/gateway";

/** Requests a browser would never send, or an attacker would: each answers a page, never a 500. */
let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

/** Names every plain object inherits: user input must never pick one of them as a key. */
const inheritedNames = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];
/** ...and a language the portal does not have. */
const unknownLanguages = [...inheritedNames, "xx"];

describe("the language switch and cookie", () => {
  it.each(unknownLanguages)("sets no cookie for ?to=%s, and still redirects into the portal", async (name) => {
    const response = await gw.app.request(`/portal/lang?to=${name}&back=/portal/login`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/portal/login");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it.each(unknownLanguages)("ignores a forged cg_lang=%s cookie", async (name) => {
    const page = await gw.app.request("/portal/login", {
      headers: { Cookie: `cg_lang=${name}`, "Accept-Language": "ru" },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/^<!DOCTYPE html><html lang="ru">/);
    expect(negotiateLocale(name, undefined)).toBe("en");
  });
});
