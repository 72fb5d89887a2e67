import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberLocale } from "../../partner-portal/routes/member/session";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { newKey, setupProgram } from "../support/ledger";

/**
 * The member's own pages over HTTP (their look and a member's journey: test/browser/member-pages.test.ts): the
 * member's language, the history's cursor pages and signed points, the challenges, the card's number, and what a
 * token may not open.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

type Program = Awaited<ReturnType<typeof setupProgram>>;

/** A member of `program` enrolled with these fields, and the path of a page session opened for them. */
async function memberWithPage(program: Program, fields: Record<string, unknown> = {}) {
  const externalId = `MP-${newKey()}`;
  const enrolled = await gw.call("POST", `/v1/programs/${program.programId}/members`, {
    token: program.owner.token,
    body: { external_id: externalId, ...fields },
  });
  expect(enrolled.status).toBe(201);
  const opened = await gw.call("POST", "/v1/member-sessions", {
    token: program.owner.token,
    body: { program_id: program.programId, external_id: externalId },
  });
  expect(opened.status).toBe(201);
  return { externalId, path: new URL(opened.body.url).pathname };
}

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await gw.app.request(path, { headers });
  return { status: response.status, html: await response.text(), cache: response.headers.get("Cache-Control") };
};

const langOf = (html: string) => /<html lang="([^"]+)">/.exec(html)?.[1];

describe("the member's language", () => {
  it("maps a member's locale to the portal's languages, and anything else to none", () => {
    const cases = { pt: "pt-BR", "pt-PT": "pt-BR", "pt-BR": "pt-BR", pt_BR: "pt-BR", ru: "ru", "ru-RU": "ru" };
    for (const [locale, expected] of Object.entries(cases)) expect(memberLocale(locale), locale).toBe(expected);
    for (const locale of ["en", "en-GB", "EN-us"]) expect(memberLocale(locale), locale).toBe("en");
    for (const locale of [null, "", "de", "es-ES", "ptx", "fr-PT"])
      expect(memberLocale(locale), `${locale}`).toBe(undefined);
  });

  it("speaks the member's locale on every page and refusal, whatever the browser asks, with no switch", async () => {
    const program = await setupProgram(gw, { name: "Harbor Rewards" });
    const { path } = await memberWithPage(program, { locale: "pt-PT" });
    for (const page of ["", "/history", "/challenges", "/card"]) {
      const { status, html } = await get(`${path}${page}`, { "Accept-Language": "ru", Cookie: "cg_lang=en" });
      expect(status, page).toBe(200);
      expect(langOf(html), page).toBe("pt-BR");
      expect(html, page).not.toContain('class="languages"');
      expect(html, page).toContain('<nav class="member-nav" aria-label="Sua conta">');
    }
    const russian = await memberWithPage(program, { locale: "ru" });
    const missing = await get(`${russian.path}/conversions/cnv_unknown`, { "Accept-Language": "en" });
    expect(missing.status).toBe(404);
    expect(langOf(missing.html)).toBe("ru");
  });

  it("falls back to the portal's negotiation (cookie, then Accept-Language) without a locale it speaks", async () => {
    const program = await setupProgram(gw);
    const german = await memberWithPage(program, { locale: "de" });
    const byHeader = await get(german.path, { "Accept-Language": "ru-RU,ru;q=0.9" });
    expect(langOf(byHeader.html)).toBe("ru");
    expect(byHeader.html).toContain('class="languages"');
    const none = await memberWithPage(program);
    const byCookie = await get(`${none.path}/history`, { "Accept-Language": "ru", Cookie: "cg_lang=pt-BR" });
    expect(langOf(byCookie.html)).toBe("pt-BR");
  });
});

/** The rows of a history page: id, type, sign and points; and its Older / Newer links' query strings. */
function historyOf(html: string) {
  const rows = [
    ...html.matchAll(/data-transaction="([^"]+)" data-type="([^"]+)">.*?data-points="(\d+)" data-sign="(-?\d)"/g),
  ].map(([, id, type, points, sign]) => ({ id, type, signed: Number(sign) * Number(points), sign: Number(sign) }));
  const link = (rel: string) => new RegExp(`<a href="[^"?]+\\?([^"]+)" rel="${rel}">`).exec(html)?.[1];
  return { rows, older: link("next"), newer: link("prev") };
}

describe("the member's history", () => {
  it("pages newest first in equal pages by cursor, Older and Newer, without repeats or gaps", async () => {
    const program = await setupProgram(gw, { name: "Harbor Rewards" });
    const { externalId, path } = await memberWithPage(program);
    for (let n = 1; n <= 23; n++) expect((await program.move("earn", externalId, n)).status).toBe(201);
    const api = await gw.call("GET", `/v1/programs/${program.programId}/members/${externalId}/transactions?limit=100`, {
      token: program.owner.token,
    });
    expect(api.status).toBe(200);
    const expected = api.body.data.map((t: { id: string }) => t.id);

    const first = historyOf((await get(`${path}/history`)).html);
    expect(first.newer).toBeUndefined();
    const second = historyOf((await get(`${path}/history?${first.older}`)).html);
    const third = historyOf((await get(`${path}/history?${second.older}`)).html);
    expect([first.rows.length, second.rows.length, third.rows.length]).toEqual([10, 10, 3]);
    expect(third.older).toBeUndefined();
    expect([...first.rows, ...second.rows, ...third.rows].map((row) => row.id)).toEqual(expected);
    expect(first.rows.map((row) => row.signed)).toEqual([23, 22, 21, 20, 19, 18, 17, 16, 15, 14]);

    const backToSecond = historyOf((await get(`${path}/history?${third.newer}`)).html);
    expect(backToSecond.rows).toEqual(second.rows);
    expect(backToSecond.older).toBe(second.older);
    const backToFirst = historyOf((await get(`${path}/history?${backToSecond.newer}`)).html);
    expect(backToFirst.rows).toEqual(first.rows);
    expect(backToFirst.newer).toBeUndefined();
    expect(backToFirst.older).toBe(first.older);
  });

  it("signs each line as it moved the member's points, so they add up to available plus pending", async () => {
    const program = await setupProgram(gw);
    const { externalId, path } = await memberWithPage(program, { locale: "en" });
    const token = program.owner.token;
    const earn = await program.move("earn", externalId, 5_000);
    const burn = await program.move("burn", externalId, 700);
    const reverse = (id: string, points: number) =>
      gw.call("POST", `/v1/transactions/${id}/reversals`, {
        token,
        headers: { "Idempotency-Key": newKey() },
        body: { points },
      });
    expect((await reverse(burn.body.id, 200)).status).toBe(201);
    expect((await reverse(earn.body.id, 300)).status).toBe(201);
    const adjusted = await gw.call("POST", "/v1/transactions/adjustments", {
      token,
      headers: { "Idempotency-Key": newKey() },
      body: { program_id: program.programId, external_id: externalId, points: -50, reason: "correction" },
    });
    expect(adjusted.status).toBe(201);
    const rules = await gw.call("PUT", `/v1/programs/${program.programId}/velocity-rules`, {
      token: await gw.operatorToken(),
      body: { review_threshold_points: 1_000 },
    });
    expect(rules.status).toBe(200);
    expect((await program.move("burn", externalId, 1_500)).status).toBe(202);

    const { html } = await get(`${path}/history`);
    const { rows } = historyOf(html);
    expect(rows.map((row) => [row.type, row.signed])).toEqual([
      ["hold", 0],
      ["adjustment", -50],
      ["reversal", -300],
      ["reversal", 200],
      ["burn", -700],
      ["earn", 5_000],
    ]);
    expect(html).toContain(">Reserved while under review</th>");
    expect(html).toContain(">-300</td>");
    expect(html).toContain(">+200</td>");
    const balance = await program.balance(externalId);
    expect(rows.reduce((sum, row) => sum + row.signed, 0)).toBe(balance.available + balance.pending);
    expect(balance.pending).toBe(1_500);
  });
});

describe("the member's challenges", () => {
  it("shows each challenge in force with a bar per target, what it pays, and when it was completed", async () => {
    const program = await setupProgram(gw, { name: "Harbor Rewards", settlement_currency: "USD" });
    const promote = async (body: Record<string, unknown>) => {
      const created = await gw.call("POST", `/v1/programs/${program.programId}/promotions`, {
        token: program.owner.token,
        body: { status: "active", starts_at: gw.clock.now().toISOString(), trigger: "challenge", ...body },
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const visits = await promote({ name: "Three visits", challenge: { earns: 3 }, reward: { bonus_points: 300 } });
    const spend = await promote({
      name: "Spend $500",
      challenge: { spend_minor: 50_000 },
      reward: { bonus_points: 1_000 },
    });
    const { externalId, path } = await memberWithPage(program, { locale: "en" });
    const none = await memberWithPage(await setupProgram(gw));
    expect((await get(`${none.path}/challenges`)).html).toContain("There are no challenges right now.");
    const purchase = (amountMinor: number) =>
      gw.call("POST", "/v1/transactions/earn", {
        token: program.owner.token,
        headers: { "Idempotency-Key": newKey() },
        body: {
          program_id: program.programId,
          external_id: externalId,
          purchase: { amount_minor: amountMinor, currency: "USD" },
          reference: newKey(),
        },
      });
    expect((await purchase(10_000)).status).toBe(201);
    expect((await purchase(2_500)).status).toBe(201);
    const open = (await get(`${path}/challenges`)).html;
    const card = (id: string) => new RegExp(`data-challenge="${id}">(.*?)</section>`, "s").exec(open)?.[1] ?? "";
    expect(card(visits)).toContain("Purchases: 2 of 3</span>");
    expect(card(visits)).toMatch(/<progress aria-labelledby="[^"]+" value="2" max="3">/);
    expect(card(visits)).toContain("Complete it to get 300 Harbor Rewards points.");
    expect(card(spend)).toContain("Spend: $125.00 of $500.00</span>");
    expect(card(spend)).toMatch(/value="12500" max="50000"/);
    expect((await purchase(1_000)).status).toBe(201);
    const done = (await get(`${path}/challenges`)).html;
    expect(done).toContain("Purchases: 3 of 3</span>");
    expect(done).toMatch(/Completed on [A-Z][a-z]{2} \d{1,2}, \d{4}: you got 300 Harbor Rewards points\./);
  });
});

describe("the member's card", () => {
  it("shows the most recently linked card as a QR code labelled with the program, the member and the number", async () => {
    const program = await setupProgram(gw, { name: "Harbor Rewards" });
    const { externalId, path } = await memberWithPage(program, { name: "Ana Souza", locale: "en" });
    const qrLabel = (html: string) => /<svg [^>]*class="member-qr" role="img" aria-label="([^"]+)"/.exec(html)?.[1];
    const own = (await get(`${path}/card`)).html;
    expect(qrLabel(own)).toBe(`QR code of the Harbor Rewards card of Ana Souza, number ${externalId}`);
    expect(own).toMatch(/<svg [^>]*width="240" height="240"/);
    const cards = `/v1/programs/${program.programId}/members/${externalId}/cards`;
    const link = async (number: string) =>
      expect((await gw.call("POST", cards, { token: program.owner.token, body: { number } })).status).toBe(201);
    await link("4000 0000 0001");
    gw.clock.advance(1_000);
    await link("4000 0000 0002");
    const latest = (await get(`${path}/card`)).html;
    expect(qrLabel(latest)).toBe("QR code of the Harbor Rewards card of Ana Souza, number 400000000002");
    expect(latest).toContain('<dd data-card-field="number">400000000002</dd>');
    const unlinked = await gw.call("DELETE", `${cards}/400000000002`, { token: program.owner.token });
    expect(unlinked.status).toBe(200);
    expect(qrLabel((await get(`${path}/card`)).html)).toContain("number 400000000001");
  });
});

describe("what a token opens", () => {
  it("shows only its own member, and nothing once expired", async () => {
    const program = await setupProgram(gw);
    const first = await memberWithPage(program);
    const second = await memberWithPage(program);
    const earned = await program.move("earn", first.externalId, 100);
    expect((await program.move("earn", second.externalId, 7)).status).toBe(201);
    const probed = historyOf((await get(`${second.path}/history?ending_before=txn_0`)).html);
    expect(probed.rows.map((row) => row.signed)).toEqual([7]);
    const after = historyOf((await get(`${second.path}/history?starting_after=${earned.body.id}z`)).html);
    expect(after.rows.every((row) => row.id !== earned.body.id)).toBe(true);
    for (const page of ["", "/history", "/challenges", "/card", "/rewards", "/transfer"])
      expect((await get(`${first.path}${page}`)).cache, `${page}: personal data, kept by no cache`).toBe("no-store");
    gw.clock.advance(16 * 60_000);
    for (const page of ["", "/history", "/challenges", "/card"]) {
      const expired = await get(`${first.path}${page}`);
      expect(expired.cache, page).toBe("no-store");
      expect(expired.status, page).toBe(404);
      expect(expired.html, page).toContain("This page has expired. Open it again from the app.");
    }
  });
});
