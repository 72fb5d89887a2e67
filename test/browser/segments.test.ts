import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testOutput } from "../support/browser";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * The Segments page (issue 17, item 5): the owning partner's users see each program's segments with their counts
 * and its RFM scoring as a heat map with the same numbers as GET /v1/programs/{id}/rfm, in English, Portuguese and
 * Russian; finance downloads a segment's members as the API's CSV, a viewer may not; a partner that does not own
 * the program sees none of it.
 */
let portal: PortalFixture;
const dayMs = 86_400_000;
/** The hotel's members besides the fixture's guest: A earns on day 0, B and C on day 10, D and E on day 15. */
let members: { a: string; b: string; c: string; d: string; e: string };
/** The hotel's segments as the API answered their creation. */
let bigEarners: { id: string; member_count: number; counted_at: string };
let vip: { id: string; member_count: number; counted_at: string };

beforeAll(async () => {
  portal = await startPortal();
  const { gw, setup } = portal;
  await portal.portalUser("viewer@harbor.example", "viewer");
  await portal.portalUser("finance@harbor.example", "finance");
  // The airline owns its own program and has an agreement in the hotel's; FreshCart only the agreement.
  await portal.portalUser("admin@skyways.example", "admin", setup.airline.owner.partner.id);
  const fresh = await gw.onboardPartner({ name: "FreshCart" });
  await portal.portalUser("admin@freshcart.example", "admin", fresh.partner.id);
  const operator = await gw.operatorToken();
  for (const partnerId of [setup.airline.owner.partner.id, fresh.partner.id]) {
    const agreement = await gw.call("POST", `/v1/programs/${setup.hotel.programId}/agreements`, {
      token: operator,
      body: {
        partner_id: partnerId,
        can_earn: true,
        can_burn: true,
        issue_price_micros: 12_000,
        redeem_price_micros: 10_000,
      },
    });
    if (agreement.status !== 201) throw new Error(`agreement: ${agreement.text}`);
  }
  // A has a name a spreadsheet would run as a formula: the CSV neutralises it, the portal's as the API's.
  const a = await gw.call("POST", `/v1/programs/${setup.hotel.programId}/members`, {
    token: await setup.token(),
    body: { external_id: "SEG-A", email: "a@guest.example", name: '=HYPERLINK("x")' },
  });
  if (a.status !== 201) throw new Error(`enrol: ${a.text}`);
  members = {
    a: "SEG-A",
    b: await setup.hotel.enrol("SEG-B"),
    c: await setup.hotel.enrol("SEG-C"),
    d: await setup.hotel.enrol("SEG-D"),
    e: await setup.hotel.enrol("SEG-E"),
  };
  // The clock moves days, so every call takes a fresh token.
  const earn = async (member: string, points: number) => {
    const earned = await setup.hotel.move("earn", member, points, { token: await setup.token() });
    if (earned.status !== 201) throw new Error(`earn: ${earned.text}`);
  };
  await earn(members.a, 100);
  gw.clock.advance(10 * dayMs);
  await earn(members.b, 100);
  await earn(members.b, 100);
  await earn(members.c, 300);
  gw.clock.advance(5 * dayMs);
  for (let n = 0; n < 3; n++) await earn(members.d, 10);
  await earn(members.e, 100);
  gw.clock.advance(dayMs);
  const create = async (body: Record<string, unknown>) => {
    const created = await gw.call("POST", `/v1/programs/${setup.hotel.programId}/segments`, {
      token: await setup.token(),
      body,
    });
    if (created.status !== 201) throw new Error(`segment: ${created.text}`);
    return created.body;
  };
  // Everyone who earned 100 or more: the guest (5,000), A, B, C and E; D earned 30.
  bigEarners = await create({
    name: "Big earners",
    type: "dynamic",
    rule: { field: "lifetime_earned", op: "gte", value: 100 },
  });
  await create({ name: "Later", description: "Counted later", type: "static" });
  const list = await create({ name: "VIP list", description: "Hand-picked for the spring mailing", type: "static" });
  const added = await gw.call("POST", `/v1/segments/${list.id}/members`, {
    token: await setup.token(),
    body: { external_ids: [members.a, members.d] },
  });
  if (added.status !== 200) throw new Error(`list: ${added.text}`);
  vip = (await gw.call("GET", `/v1/segments/${list.id}`, { token: await setup.token() })).body;
  expect(bigEarners.member_count).toBe(5);
  expect(vip.member_count).toBe(2);
}, 60_000);
afterAll(() => portal?.close());

/** Intl's no-break and narrow spaces (in "33,3 %") as plain ones, so expectations read plainly. */
const plain = (value: string | null) => (value ?? "").replace(/[\u00a0\u202f]/g, " ").trim();
const text = async (page: Page, selector: string) => plain(await page.locator(selector).first().textContent());
const segmentCell = (page: Page, id: string, column: string) =>
  text(page, `tr[data-segment="${id}"] [data-column="${column}"]`);
const rfmCell = (page: Page, segment: string, column: string) =>
  text(page, `tr[data-rfm-segment="${segment}"] [data-column="${column}"]`);

/** A moment as the owner's pages write it (UTC, then "UTC"). */
const moment = (locale: string, at: string) => {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return `${plain(format.format(new Date(at)))} UTC`;
};

/** Switches the signed-in page's language (the switch's cookie) and opens `path`. */
async function speak(page: Page, locale: string, path: string) {
  await page.goto(`${portal.base}/portal/lang?to=${locale}&back=${encodeURIComponent(path)}`);
  await page.goto(`${portal.base}${path}`);
  expect(await page.getAttribute("html", "lang")).toBe(locale);
}

/** The heat map's 25 numbers, read from the drawing's cells and from its table: `[r - 1][f - 1]`, as the API's grid. */
async function heatmap(page: Page, programId: string) {
  const read = (selector: (r: number, f: number) => string) =>
    Promise.all(
      [1, 2, 3, 4, 5].map((r) =>
        Promise.all([1, 2, 3, 4, 5].map(async (f) => Number(await text(page, selector(r, f))))),
      ),
    );
  const scope = `[data-program="${programId}"]`;
  return {
    drawn: await read((r, f) => `${scope} svg g.cell[data-r="${r}"][data-f="${f}"] text`),
    table: await read((r, f) => `${scope} table.rfm-grid td[data-r="${r}"][data-f="${f}"]`),
  };
}

/** WCAG's contrast ratio of two colours given as #rrggbb. */
function contrast(a: string, b: string) {
  const luminance = (hex: string) => {
    const [r = 0, g = 0, bl = 0] = [1, 3, 5].map((at) => {
      const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe("the Segments page", () => {
  it("shows the owner's user each segment with its count, then the RFM heat map with the API's numbers after a recompute", async () => {
    const { gw, setup } = portal;
    const programId = setup.hotel.programId;
    const { context, page } = await signedInPage(portal, "viewer@harbor.example");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Segments" }).click();
    await page.waitForURL(`${portal.base}/portal/segments`);
    expect(await page.locator("[data-program]").count()).toBe(1);
    expect(await text(page, "main h2")).toBe("Harbor Rewards");
    const rows = page.locator("table.segments tbody tr");
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector("th")?.firstChild?.textContent))).toEqual([
      "Big earners",
      "Later",
      "VIP list",
    ]);
    expect(await segmentCell(page, bigEarners.id, "type")).toBe("Dynamic (by rule)");
    expect(await segmentCell(page, bigEarners.id, "members")).toBe("5");
    expect(await segmentCell(page, bigEarners.id, "counted-at")).toBe(moment("en", bigEarners.counted_at));
    expect(await segmentCell(page, vip.id, "type")).toBe("Static (a list)");
    expect(await segmentCell(page, vip.id, "members")).toBe("2");
    expect(await text(page, `tr[data-segment="${vip.id}"] .segment-description`)).toBe(
      "Hand-picked for the spring mailing",
    );
    // A viewer reads the counts but downloads nothing.
    expect(await page.getByRole("link", { name: /^Download CSV/ }).count()).toBe(0);
    // Never scored: how to score it now.
    expect(await text(page, '[data-empty="rfm"] code')).toBe(`POST /v1/programs/${programId}/rfm/recompute`);
    expect(await page.locator("figure.heatmap").count()).toBe(0);
    await checkPage(page, "segments-unscored");

    const recomputed = await gw.call("POST", `/v1/programs/${programId}/rfm/recompute`, {
      token: await setup.token(),
    });
    expect(recomputed.status).toBe(202);
    const rfm = (await gw.call("GET", `/v1/programs/${programId}/rfm`, { token: await setup.token() })).body;
    // Scored on day 16 (n = 6, a score is 1 + floor(5 b / 6), b the members strictly worse):
    //   days since the last earn: guest 16, A 16, B 6, C 6, D 1, E 1 -> R 1, 1, 2, 2, 4, 4
    //   earns:                    guest 1,  A 1,  B 2, C 1, D 3, E 1 -> F 1, 1, 4, 1, 5, 1
    const known = [
      [2, 0, 0, 0, 0],
      [1, 0, 0, 1, 0],
      [0, 0, 0, 0, 0],
      [1, 0, 0, 0, 1],
      [0, 0, 0, 0, 0],
    ];
    expect(rfm.grid).toEqual(known);
    await page.reload();
    expect(await heatmap(page, programId)).toEqual({ drawn: known, table: known });
    expect(await text(page, '[data-card="members-scored"] dd')).toBe("6");
    expect(await text(page, '[data-card="computed-at"] dd')).toBe(moment("en", rfm.computed_at));
    expect(await text(page, '[data-card="window"] dd')).toBe("365 days");
    // Row labels from R5 at the top down to R1, columns F1 to F5; the drawing and the table agree.
    const ys = await page
      .locator("svg g.cell[data-f='1'] rect")
      .evaluateAll((rects) => rects.map((rect) => [rect.parentElement?.dataset.r, Number(rect.getAttribute("y"))]));
    expect(ys.map(([r]) => r)).toEqual(["5", "4", "3", "2", "1"]);
    expect(ys.map(([, y]) => y)).toEqual([...ys.map(([, y]) => y)].sort((p, q) => Number(p) - Number(q)));
    expect(await page.locator("table.rfm-grid tbody th").allTextContents()).toEqual(["R5", "R4", "R3", "R2", "R1"]);
    // Every number contrasts 4.5:1 or more with its cell; the fullest cell is the darkest.
    const cells = await page
      .locator("svg g.cell")
      .evaluateAll((groups) =>
        groups.map((g) => [
          g.querySelector("rect")?.getAttribute("fill"),
          g.querySelector("text")?.getAttribute("fill"),
        ]),
      );
    for (const [fill, ink] of cells) expect(contrast(fill ?? "", ink ?? "")).toBeGreaterThanOrEqual(4.5);
    // The drawing names itself and says where most members are; the legend reads the scale.
    expect(await text(page, "figure.heatmap svg > title")).toBe("Members by recency and frequency");
    expect(await text(page, "figure.heatmap svg > desc")).toBe(
      "A 5 by 5 grid. Members scored: 6. The fullest cell, R1 F1, holds 2. Every cell's number is in the table under the chart.",
    );
    expect(await page.getByRole("img", { name: "Members by recency and frequency" }).count()).toBe(1);
    expect(await text(page, '[data-legend="scale"]')).toBe("1 to 2 members: the more, the darker");
    expect(await text(page, 'g.cell[data-r="4"][data-f="5"] title')).toBe("R4 F5, Loyal: 1");
    // The eleven segments, in the API's order, with their members and shares.
    expect(
      await page.locator("table.rfm-segments tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.rfmSegment)),
    ).toEqual(rfm.segments.map((s: { segment: string }) => s.segment));
    for (const { segment, members: count } of rfm.segments)
      expect(await rfmCell(page, segment, "members"), segment).toBe(String(count));
    expect(await rfmCell(page, "lost", "members")).toBe("2");
    expect(await rfmCell(page, "lost", "share")).toBe("33.3%");
    expect(await rfmCell(page, "loyal", "share")).toBe("16.7%");
    expect(await rfmCell(page, "champions", "share")).toBe("0%");
    expect(await text(page, 'tr[data-rfm-segment="potential_loyalist"] th')).toBe("Potential loyalists");
    await page.locator("figure.heatmap summary").click();
    await checkPage(page, "segments-en");
    await context.close();
  }, 60_000);

  it("writes dates, days and shares in Portuguese on a phone and in Russian", async () => {
    const { gw, setup } = portal;
    const programId = setup.hotel.programId;
    const rfm = (await gw.call("GET", `/v1/programs/${programId}/rfm`, { token: await setup.token() })).body;
    expect(rfm.computed_at).not.toBeNull();
    const { context, page } = await signedInPage(portal, "viewer@harbor.example", { viewport: "phone" });
    await speak(page, "pt-BR", "/portal/segments");
    expect(await text(page, "main h1")).toBe("Segmentos");
    expect(await segmentCell(page, bigEarners.id, "type")).toBe("Dinâmico (por regra)");
    expect(await segmentCell(page, bigEarners.id, "counted-at")).toBe(moment("pt-BR", bigEarners.counted_at));
    expect(await text(page, '[data-card="computed-at"] dd')).toBe(moment("pt-BR", rfm.computed_at));
    expect(await text(page, '[data-card="window"] dd')).toBe("365 dias");
    expect(await rfmCell(page, "lost", "share")).toBe("33,3%");
    expect(await text(page, 'tr[data-rfm-segment="lost"] th')).toBe("Perdidos");
    expect(await text(page, "figure.heatmap figcaption")).toBe("Membros por recência e frequência");
    // On a phone each segment is a card whose figures carry their column's name.
    expect(await page.locator(`tr[data-segment="${vip.id}"] [data-column="members"]`).getAttribute("data-label")).toBe(
      "Membros",
    );
    expect(await heatmap(page, programId)).toEqual({ drawn: rfm.grid, table: rfm.grid });
    // The drawing's labels are 11 px or more on this phone, 10 px on the narrowest (320 px), as the daily chart's.
    const drawn = () =>
      page.locator("figure.heatmap > svg").evaluate((svg) => {
        const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
        return Math.min(
          ...[...svg.querySelectorAll("text")].map((label) => Number(label.getAttribute("font-size")) * scale),
        );
      });
    expect(await drawn()).toBeGreaterThanOrEqual(11);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await drawn()).toBeGreaterThanOrEqual(10);
    await checkPage(page, "segments-pt-BR");

    await speak(page, "ru", "/portal/segments");
    expect(await text(page, "main h1")).toBe("Сегменты");
    expect(await segmentCell(page, vip.id, "type")).toBe("Статический (список)");
    expect(await segmentCell(page, vip.id, "counted-at")).toBe(moment("ru", vip.counted_at));
    expect(await text(page, '[data-card="computed-at"] dd')).toBe(moment("ru", rfm.computed_at));
    expect(await text(page, '[data-card="window"] dd')).toBe("365 дней");
    expect(await rfmCell(page, "lost", "share")).toBe("33,3 %");
    expect(await rfmCell(page, "at_risk", "share")).toBe("16,7 %");
    expect(await text(page, 'tr[data-rfm-segment="at_risk"] th')).toBe("В зоне риска");
    expect(await text(page, '[data-legend="scale"]')).toBe("Участников от 1 до 2: чем больше, тем темнее");
    await checkPage(page, "segments-ru");
    await context.close();
  }, 60_000);
});

describe("a segment's members as CSV", () => {
  it("downloads for a finance user, the very file of GET /v1/segments/{id}/members.csv", async () => {
    const { gw, setup } = portal;
    const { context, page } = await signedInPage(portal, "finance@harbor.example");
    await page.goto(`${portal.base}/portal/segments`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV: VIP list" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${vip.id}-members.csv`);
    const path = join(testOutput, `segment-${download.suggestedFilename()}`);
    await download.saveAs(path);
    const csv = readFileSync(path, "utf8");
    const api = await gw.call("GET", `/v1/segments/${vip.id}/members.csv`, { token: await setup.token() });
    expect(api.status).toBe(200);
    expect(csv).toBe(api.text);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("external_id,email,name,tier");
    expect(lines.slice(1, 3).sort()).toEqual([`${members.a},a@guest.example,"'=HYPERLINK(""x"")",`, `${members.d},,,`]);
    expect(await page.getByRole("link", { name: /^Download CSV/ }).count()).toBe(3);
    await checkPage(page, "segments-finance");
    await context.close();
  }, 60_000);

  it("is refused to a viewer (403)", async () => {
    const { context, page } = await signedInPage(portal, "viewer@harbor.example");
    const refused = await page.goto(`${portal.base}/portal/segments/${vip.id}.csv`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator("main").textContent()).not.toContain(members.a);
    await context.close();
  }, 60_000);
});

describe("partners that do not own the program", () => {
  it("see their own program only (never scored and without segments, then scored) and another program's CSV is 404", async () => {
    const { setup } = portal;
    const { context, page } = await signedInPage(portal, "admin@skyways.example");
    await page.goto(`${portal.base}/portal/segments`);
    expect(await page.locator("[data-program]").count()).toBe(1);
    expect(await text(page, "main h2")).toBe("SkyWays Miles");
    expect(await text(page, '[data-empty="segments"] code')).toBe(
      `POST /v1/programs/${setup.airline.programId}/segments`,
    );
    expect(await text(page, '[data-empty="rfm"] code')).toBe(
      `POST /v1/programs/${setup.airline.programId}/rfm/recompute`,
    );
    expect(await page.getByText("Harbor Rewards").count()).toBe(0);
    expect(await page.getByText("VIP list").count()).toBe(0);
    await checkPage(page, "segments-empty");
    const other = await page.goto(`${portal.base}/portal/segments/${vip.id}.csv`);
    expect(other?.status()).toBe(404);

    // Scored with no earn in the window: nobody scored, no map; then one member's earn, a map of one.
    const { gw } = portal;
    const token = await gw.token(setup.airline.owner.clientId, setup.airline.owner.secret);
    const recompute = () => gw.call("POST", `/v1/programs/${setup.airline.programId}/rfm/recompute`, { token });
    expect((await recompute()).status).toBe(202);
    await page.goto(`${portal.base}/portal/segments`);
    expect(await text(page, '[data-card="members-scored"] dd')).toBe("0");
    expect(await text(page, '[data-empty="scored"]')).toBe("No member earned within the window, so no one was scored.");
    expect(await page.locator("figure.heatmap").count()).toBe(0);
    const earned = await setup.airline.move("earn", setup.flyer, 50, { token });
    expect(earned.status).toBe(201);
    expect((await recompute()).status).toBe(202);
    await page.reload();
    // Alone, the member has no one worse: R1 F1.
    expect((await heatmap(page, setup.airline.programId)).drawn[0]?.[0]).toBe(1);
    expect(await text(page, '[data-legend="scale"]')).toBe("One member");
    await checkPage(page, "segments-one-member");
    await context.close();
  }, 60_000);

  it("a partner with an agreement only and no program of its own sees no segments at all", async () => {
    const { context, page } = await signedInPage(portal, "admin@freshcart.example");
    await page.goto(`${portal.base}/portal/segments`);
    expect(await text(page, "main p")).toBe(
      "Your company does not run a program of its own, so it has no segments to show.",
    );
    expect(await page.locator("[data-program]").count()).toBe(0);
    await checkPage(page, "segments-no-program");
    const other = await page.goto(`${portal.base}/portal/segments/${bigEarners.id}.csv`);
    expect(other?.status()).toBe(404);
    await context.close();
  }, 60_000);
});
