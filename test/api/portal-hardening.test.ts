import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portalSignInFailures } from "../../gateway/src/db/schema";
import { emailKey } from "../../gateway/src/domain/sign-in-failures";
import { runScheduledJobs } from "../../gateway/src/jobs";
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

/** A form body of about 20 kB: over the portal's 16 kB. */
const oversized = `email=a%40b.example&password=${"x".repeat(20 * 1024)}`;
const formType = { "Content-Type": "application/x-www-form-urlencoded" };

describe("a form over 16 kB", () => {
  it.each([
    ["Accept-Language", { "Accept-Language": "ru" }, "ru", "Форма отправила больше данных"],
    ["the language cookie", { Cookie: "cg_lang=pt-BR", "Accept-Language": "ru" }, "pt-BR", "O formulário enviou"],
    ["neither", {}, "en", "The form sent more data"],
  ])("answers a 413 page in the visitor's language, chosen by %s", async (_, headers, lang, message) => {
    const page = await gw.app.request("/portal/login", {
      method: "POST",
      body: oversized,
      headers: { ...formType, ...headers },
    });
    expect(page.status).toBe(413);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toMatch(new RegExp(`^<!DOCTYPE html><html lang="${lang}">`));
    expect(html).toContain(message);
  });

  it("answers 413 too when the body streams in without a Content-Length", async () => {
    const chunk = new TextEncoder().encode("x".repeat(4096));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const page = await gw.app.request("/portal/credentials", {
      method: "POST",
      body,
      headers: formType,
      duplex: "half",
    } as RequestInit);
    expect(page.status).toBe(413);
    expect(await page.text()).toContain("The form sent more data");
  });
});

describe("a form the portal cannot read", () => {
  it("answers 400 for a multipart body without its boundary", async () => {
    const page = await gw.app.request("/portal/login", {
      method: "POST",
      body: "not multipart",
      headers: { "Content-Type": "multipart/form-data", "Accept-Language": "pt-BR" },
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("Não foi possível ler o formulário");
  });

  it("treats a file sent in place of a field as a missing field", async () => {
    const login = await gw.app.request("/portal/login");
    const csrf = /cg_csrf=([\w-]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1] ?? "";
    const form = new FormData();
    form.append("_csrf", csrf);
    form.append("email", new Blob(["admin@example.com"]), "email.txt");
    form.append("password", new Blob(["secret"]), "password.txt");
    const page = await gw.app.request("/portal/login", {
      method: "POST",
      body: form,
      headers: { Cookie: `cg_csrf=${csrf}` },
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("Enter your email address");
  });
});

describe("the language switch's way back", () => {
  it.each([
    "/portal%0d%0aSet-Cookie:x=1",
    "/portal/%0d%0aSet-Cookie:x=1",
    "/portal/login%0aSet-Cookie:x=1",
    "/portal/%00",
    "/portal/login%09",
    "/portal/%C3%A9",
    "/portal/%5C%5Cevil.example",
  ])("goes to /portal, not %s, and splits no header", async (back) => {
    const response = await gw.app.request(`/portal/lang?to=en&back=${back}`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/portal");
    expect(response.headers.get("set-cookie")).toMatch(/^cg_lang=en;/);
  });

  it("keeps a portal path with its query", async () => {
    const response = await gw.app.request(`/portal/lang?to=ru&back=${encodeURIComponent("/portal/statements?page=2")}`);
    expect(response.headers.get("location")).toBe("/portal/statements?page=2");
  });
});

describe("sign-in refusals", () => {
  const password = "correct horse battery staple";

  /** A partner manager who exists, with a password. */
  async function manager(email: string) {
    const partner = await gw.onboardPartner();
    const created = await gw.call("POST", `/v1/partners/${partner.partner.id}/users`, {
      token: await gw.operatorToken(),
      body: { email, role: "viewer", password },
    });
    expect(created.status).toBe(201);
  }

  /** One sign-in form, posted with the same CSRF cookie each time: only the email and password vary. */
  async function signIn(email: string, secret: string) {
    const started = performance.now();
    const response = await gw.app.request("/portal/login", {
      method: "POST",
      body: new URLSearchParams({ _csrf: "fixed-csrf-token", email, password: secret }).toString(),
      headers: { ...formType, Cookie: "cg_csrf=fixed-csrf-token" },
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      location: response.headers.get("location"),
      ms: performance.now() - started,
    };
  }

  /** The failure row of an email, as the sign-in keys it. */
  const failuresOf = (email: string) =>
    gw.deps.db
      .select()
      .from(portalSignInFailures)
      .where(eq(portalSignInFailures.emailHash, emailKey(email)))
      .get();

  it("answer the same for a known and an unknown email: 401 four times, then 423", async () => {
    await manager("known@enumeration.example");
    const statuses = { known: [] as number[], unknown: [] as number[] };
    for (let attempt = 1; attempt <= 8; attempt++) {
      const known = await signIn("known@enumeration.example", `wrong password ${attempt}`);
      const unknown = await signIn("unknown@enumeration.example", `wrong password ${attempt}`);
      statuses.known.push(known.status);
      statuses.unknown.push(unknown.status);
      // The CSRF token is the same cookie's on every post, so the whole page must be identical.
      expect(known.text, `attempt ${attempt}`).toBe(unknown.text);
      expect(known.text).not.toContain("enumeration.example");
      expect(known.text).toContain(
        attempt < 5
          ? "Email or password is not right."
          : "Too many failed attempts: this account is locked for 15 minutes.",
      );
    }
    const expected = [401, 401, 401, 401, 423, 423, 423, 423];
    expect(statuses).toEqual({ known: expected, unknown: expected });
  });

  it("count an email however it is typed, and forget a failure after 15 minutes", async () => {
    for (const typed of ["Typed@Enumeration.example", " typed@enumeration.example", "TYPED@ENUMERATION.EXAMPLE "])
      expect((await signIn(typed, "wrong password")).status).toBe(401);
    gw.clock.advance(15 * 60_000);
    // The three above are forgotten: four more are refused, only the fifth locks.
    for (let attempt = 1; attempt <= 4; attempt++)
      expect((await signIn("typed@enumeration.example", "wrong password")).status).toBe(401);
    expect((await signIn("typed@enumeration.example", "wrong password")).status).toBe(423);
  });

  it("keep the owner's account locked for 15 minutes after five wrong passwords, even against the right one", async () => {
    await manager("locked@enumeration.example");
    for (let attempt = 1; attempt <= 5; attempt++) await signIn("locked@enumeration.example", "wrong password");
    for (let attempt = 1; attempt <= 5; attempt++) await signIn("nobody@enumeration.example", "wrong password");
    const refused = await signIn("locked@enumeration.example", password);
    expect(refused.status).toBe(423);
    expect(refused.text).toBe((await signIn("nobody@enumeration.example", password)).text);
    gw.clock.advance(15 * 60_000 - 1000);
    expect((await signIn("locked@enumeration.example", password)).status).toBe(423);
    gw.clock.advance(1000);
    const signedIn = await signIn("locked@enumeration.example", password);
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe("/portal/dashboard");
    expect(await failuresOf("locked@enumeration.example")).toBeUndefined();
  });

  it("count every one of ten wrong passwords sent at once, and lock", async () => {
    await manager("parallel@enumeration.example");
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, attempt) => signIn("parallel@enumeration.example", `wrong password ${attempt}`)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 423, 423, 423, 423, 423, 423]);
    expect((await failuresOf("parallel@enumeration.example"))?.failures).toBe(5);
    expect((await signIn("parallel@enumeration.example", password)).status).toBe(423);
  });

  it("are forgotten by the scheduled jobs once the lock is over and the last failure 15 minutes old", async () => {
    for (let attempt = 1; attempt <= 5; attempt++) await signIn("expired@cleanup.example", "wrong password");
    gw.clock.advance(10 * 60_000);
    await signIn("recent@cleanup.example", "wrong password");
    gw.clock.advance(5 * 60_000);
    for (let attempt = 1; attempt <= 5; attempt++) await signIn("locked@cleanup.example", "wrong password");
    const summary = await runScheduledJobs(gw.deps);
    expect(summary.sign_in_failures.deleted).toBeGreaterThanOrEqual(1);
    expect(await failuresOf("expired@cleanup.example")).toBeUndefined();
    expect((await failuresOf("recent@cleanup.example"))?.failures).toBe(1);
    expect((await failuresOf("locked@cleanup.example"))?.failures).toBe(5);
    gw.clock.advance(15 * 60_000);
    await runScheduledJobs(gw.deps);
    expect(await failuresOf("recent@cleanup.example")).toBeUndefined();
    expect(await failuresOf("locked@cleanup.example")).toBeUndefined();
  });

  it("take as long for a known email as for an unknown one, before the lock and after it", async () => {
    await manager("timed@enumeration.example");
    // The fastest of a few (the least disturbed by other work): every attempt runs one PBKDF2 verification.
    const fastest = async (email: string, attempts: number) => {
      let ms = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < attempts; attempt++) ms = Math.min(ms, (await signIn(email, "wrong")).ms);
      return ms;
    };
    const unknown = await fastest("untimed@enumeration.example", 5);
    const beforeLock = await fastest("timed@enumeration.example", 4);
    const afterLock = await fastest("timed@enumeration.example", 5); // the first of these locks the account
    for (const known of [beforeLock, afterLock]) {
      expect(known / unknown).toBeGreaterThan(0.5);
      expect(known / unknown).toBeLessThan(2);
    }
  });
});

/** A Content-Security-Policy header as directive → sources. */
function directives(policy: string | null): Map<string, string[]> {
  return new Map(
    (policy ?? "").split(";").map((directive) => {
      const [name = "", ...sources] = directive.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );
}

describe("Content-Security-Policy per surface", () => {
  it.each(["/portal/login", "/portal/operator/login", "/portal/no-such-page", "/portal/dashboard"])(
    "allows no script at all on %s, and styles only from the portal's own stylesheet",
    async (path) => {
      const response = await gw.app.request(path);
      const policy = directives(response.headers.get("content-security-policy"));
      expect(policy.get("default-src")).toEqual(["'none'"]);
      expect(policy.get("script-src")).toEqual(["'none'"]);
      expect(policy.get("style-src")).toEqual(["'self'"]);
      expect(policy.get("img-src")).toEqual(["'self'"]);
      expect(policy.get("form-action")).toEqual(["'self'"]);
      expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
      expect(policy.get("base-uri")).toEqual(["'none'"]);
      expect(response.headers.get("content-security-policy")).not.toContain("unsafe");
    },
  );

  it("keeps what Scalar needs on /docs, and nothing at all for JSON", async () => {
    const docs = directives((await gw.app.request("/docs")).headers.get("content-security-policy"));
    expect(docs.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(docs.get("worker-src")).toEqual(["'self'", "blob:"]);
    const json = await gw.app.request("/health");
    expect(json.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe("the favicon", () => {
  it.each(["/portal/assets/favicon.svg", "/favicon.ico"])("is a small SVG at %s", async (path) => {
    const response = await gw.app.request(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml");
    expect(response.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
    const svg = await response.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/s);
    expect(svg).not.toMatch(/<script|style=|<style/i);
    expect(svg.length).toBeLessThan(512);
  });

  it("is linked from every portal page", async () => {
    for (const path of ["/portal/login", "/portal/nowhere"]) {
      const html = await (await gw.app.request(path)).text();
      expect(html, path).toContain('<link rel="icon" href="/portal/assets/favicon.svg" type="image/svg+xml"/>');
    }
  });
});
