import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkPage, type Page, type PortalFixture, signedInPage, startPortal } from "../support/portal";

/**
 * The portal's layout on a phone and a desktop: the header's menu (a disclosure, as no script runs), tables as
 * stacked cards under 600 px with their totals, and the dashboard's chart (legible labels, colours of 3:1 or
 * more against its background, and a table with the same numbers).
 */
vi.setConfig({ testTimeout: 60_000 }); // each test checks pages with axe-core at two sizes

let portal: PortalFixture;
beforeAll(async () => {
  portal = await startPortal();
  await portal.portalUser("admin@harbor.example", "admin");
}, 60_000);
afterAll(() => portal?.close());

/** WCAG's contrast ratio of two CSS colours given as rgb(r, g, b). */
function contrast(a: string, b: string) {
  const luminance = (color: string) => {
    const [r = 0, g = 0, bl = 0] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((channel) => {
      const c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const summaryFocused = (page: Page) => page.evaluate(() => document.activeElement?.localName === "summary");
/** The menu's button as Chromium's accessibility tree exposes it. */
async function menuButton(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  await cdp.detach();
  const summary = nodes.find((node) => node.name?.value === "Меню" && node.role?.value !== "StaticText");
  return {
    role: summary?.role?.value,
    expanded: summary?.properties?.find((property) => property.name === "expanded")?.value.value,
  };
}
const menuOpen = (page: Page) => page.evaluate(() => document.querySelector("header details")?.hasAttribute("open"));

describe("the header", () => {
  it("is a menu on a phone, opened and closed with the keyboard, holding the navigation, languages and sign-out", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example", { viewport: "phone" });
    await page.goto(`${portal.base}/portal/lang?to=ru&back=/portal/dashboard`);
    const menu = page.getByText("Меню", { exact: true });
    const statements = page.getByRole("link", { name: "Выписки", exact: true });
    const signOut = page.getByRole("button", { name: "Выйти" });
    const english = page.getByRole("link", { name: "English" });
    expect(await menu.isVisible()).toBe(true);
    for (const hidden of [statements, signOut, english]) expect(await hidden.isVisible()).toBe(false);

    // Skip link, then the menu's button.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await summaryFocused(page)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await menuOpen(page)).toBe(true);
    for (const shown of [statements, signOut, english]) expect(await shown.isVisible()).toBe(true);
    // The menu's links follow its button in the tab order, and are 44 px targets.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Сводка");
    const target = await page.getByRole("link", { name: "Сводка", exact: true }).boundingBox();
    expect(target?.height).toBeGreaterThanOrEqual(44);
    await checkPage(page, "layout-menu-open-ru");

    await page.keyboard.press("Shift+Tab");
    expect(await summaryFocused(page)).toBe(true);
    await page.keyboard.press("Space");
    expect(await menuOpen(page)).toBe(false);
    for (const hidden of [statements, signOut, english]) expect(await hidden.isVisible()).toBe(false);
    await checkPage(page, "layout-menu-closed-ru");

    // A screen reader hears a disclosure button named "Меню" that says whether it is expanded.
    expect(await menuButton(page)).toEqual({ role: "DisclosureTriangle", expanded: false });
    await page.locator("header summary").press("Enter");
    expect(await menuButton(page)).toEqual({ role: "DisclosureTriangle", expanded: true });
    await context.close();
  });

  it("shows the navigation, languages and sign-out on a desktop without opening anything", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    expect(await menuOpen(page)).toBe(false);
    expect(await page.getByText("Menu", { exact: true }).isVisible()).toBe(false);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allTextContents()).toEqual([
      "Dashboard",
      "Statements",
      "Tiers",
      "Segments",
      "Promotions",
      "Rewards",
      "Reports",
      "Webhooks",
      "API credentials",
    ]);
    for (const name of ["Statements", "API credentials", "Português (Brasil)"])
      expect(await page.getByRole("link", { name, exact: true }).isVisible(), name).toBe(true);
    expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    // The header is one row: the menu's contents sit beside the portal's name.
    const header = await page.locator("header").boundingBox();
    expect(header?.height).toBeLessThan(80);
    // And the links work.
    await page.getByRole("link", { name: "Statements", exact: true }).click();
    await page.waitForURL(`${portal.base}/portal/statements`);
    await checkPage(page, "layout-header-desktop");
    await context.close();
  });
});

/** The dashboard's first chart, its table opened. */
async function openChartTable(page: Page) {
  await page.goto(`${portal.base}/portal/dashboard`);
  const figure = page.locator("figure.chart").first();
  await figure.locator("details > summary").click();
  return figure;
}

describe("tables on a phone", () => {
  it("become stacked cards, each value with its column's label, and keep their totals in view", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example", { viewport: "phone" });
    await page.goto(`${portal.base}/portal/lang?to=pt-BR&back=/portal/dashboard`);
    const figure = await openChartTable(page);
    expect(await figure.locator("details > summary").textContent()).toBe("Ver como tabela");
    const table = figure.locator("table");
    const layout = await table.evaluate((element) => ({
      table: getComputedStyle(element).display,
      row: getComputedStyle(element.querySelector("tbody tr") as Element).display,
      header: (element.querySelector("thead") as HTMLElement).getBoundingClientRect().height,
      cells: [...element.querySelectorAll("tbody td")].map((cell) => ({
        display: getComputedStyle(cell).display,
        label: getComputedStyle(cell, "::before").content,
        dataLabel: cell.getAttribute("data-label"),
      })),
    }));
    expect(layout.table).toBe("block");
    expect(layout.row).toBe("block");
    expect(layout.header).toBeLessThanOrEqual(1); // the column headers are for screen readers only
    expect(layout.cells.length).toBe(60);
    for (const cell of layout.cells) {
      expect(cell.display).toBe("flex");
      expect(["Emitidos", "Resgatados"]).toContain(cell.dataLabel);
      // The label is drawn from the attribute: Chromium resolves attr() in the computed content.
      expect([`"${cell.dataLabel}"`, "attr(data-label)"]).toContain(cell.label);
    }
    // Still a table to a screen reader: rows, a row header per day, cells under their column headers.
    const tree = await table.ariaSnapshot();
    expect(tree).toMatch(/- columnheader "Emitidos"/);
    expect(tree).toMatch(/- rowheader "Total"/);
    expect(tree).toMatch(/- cell "Resgatados 500"/);
    // Each card is as wide as the screen allows: the label on the left, the value on the right, on one line.
    const card = table.locator("tbody tr").last();
    const [labelBox, valueBox] = await card
      .locator("td")
      .first()
      .evaluate((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const value = range.getBoundingClientRect();
        const box = cell.getBoundingClientRect();
        return [box, value].map((r) => ({ left: r.left, right: r.right, top: r.top, height: r.height }));
      });
    expect(valueBox?.right).toBeCloseTo(labelBox?.right ?? 0, 0);
    expect(labelBox?.height).toBeLessThan(40);
    // No sideways scrolling anywhere on the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The totals are a last card, shown in full.
    const totals = table.locator("tfoot");
    await totals.scrollIntoViewIfNeeded();
    expect(await totals.isVisible()).toBe(true);
    expect(await totals.locator("th").textContent()).toBe("Total");
    expect(await totals.locator('td[data-series="issued"]').textContent()).toBe("5.000");
    expect(await totals.locator('td[data-series="redeemed"]').textContent()).toBe("500");
    const box = await totals.boundingBox();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 999) <= 390).toBe(true);
    await checkPage(page, "layout-chart-table-pt-BR");

    // A statement's lines stack the same way, and the page does not scroll sideways.
    await page.goto(`${portal.base}/portal/statements`);
    await page.locator("a[href^='/portal/statements/']").first().click();
    await page.waitForURL(/\/portal\/statements\/stm_/);
    const cells = await page.$$eval(".table-wrap td", (all) => all.map((cell) => getComputedStyle(cell).display));
    expect(cells.length).toBeGreaterThan(0);
    expect(new Set(cells)).toEqual(new Set(["flex"]));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });
});

describe("the dashboard's chart", () => {
  it("draws its labels at 11 px or more on a phone and a desktop", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example", { viewport: "phone" });
    const rendered = (drawing: string) =>
      page
        .locator(`figure.chart svg.${drawing}`)
        .first()
        .evaluate((svg) => {
          const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
          return [...svg.querySelectorAll("text")].map((text) => Number(text.getAttribute("font-size")) * scale);
        });
    for (const [viewport, drawing] of [
      [{ width: 390, height: 844 }, "narrow"],
      [{ width: 320, height: 640 }, "narrow"],
      [{ width: 720, height: 900 }, "narrow"],
      [{ width: 721, height: 900 }, "wide"],
      [{ width: 1280, height: 800 }, "wide"],
    ] as const) {
      await page.setViewportSize(viewport);
      expect(await page.locator(`figure.chart svg.${drawing}`).first().isVisible(), `${viewport.width}`).toBe(true);
      const sizes = await rendered(drawing);
      expect(sizes.length, `${viewport.width}`).toBeGreaterThan(3);
      // 320 px, the narrowest phone in use, gets 10 px; 390 px and up, 11 px or more.
      const least = viewport.width < 390 ? 10 : 11;
      for (const size of sizes) expect(size, `${viewport.width}`).toBeGreaterThanOrEqual(least);
    }
    // Fewer day labels on the narrow drawing.
    const labels = (drawing: string) => page.locator(`figure.chart svg.${drawing}`).first().locator("text.day").count();
    expect(await labels("narrow")).toBeLessThan(await labels("wide"));
    await checkPage(page, "layout-chart");
    await context.close();
  });

  it("has colours of 3:1 or more against its background, stripes as a second cue, a title, a description and units", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    const figure = page.locator("figure.chart").first();
    const colours = await figure.evaluate((element) => {
      const fill = (selector: string) => getComputedStyle(element.querySelector(selector) as Element).fill;
      return {
        background: getComputedStyle(element).backgroundColor,
        issued: fill("svg.wide rect.issued"),
        redeemedBar: fill("svg.wide rect.redeemed"),
        redeemed: fill("svg.wide pattern rect"),
      };
    });
    expect(colours.background).toBe("rgb(255, 255, 255)");
    expect(colours.redeemedBar).toMatch(/^url\(.*stripes/);
    for (const series of ["issued", "redeemed"] as const)
      expect(contrast(colours[series], colours.background), series).toBeGreaterThanOrEqual(3);
    // The two series are told apart by more than colour: the redeemed bars are striped, in the legend too.
    expect(await figure.locator('.legend [data-series="redeemed"] pattern').count()).toBe(1);
    expect(await figure.locator('.legend [data-series="issued"] pattern').count()).toBe(0);

    expect(await figure.locator("figcaption").textContent()).toBe("Points issued and redeemed per day (points)");
    const svg = figure.locator("svg.wide");
    expect(await svg.getAttribute("role")).toBe("img");
    expect(await svg.locator("title").first().textContent()).toBe("Points issued and redeemed per day");
    expect(await svg.locator("desc").textContent()).toMatch(/Points issued in all: 5,000; redeemed: 500\./);
    expect(await figure.locator(".legend").textContent()).toBe("Issued: 5,000 in totalRedeemed: 500 in total");
    await context.close();
  });

  it("has a table with the same numbers as its bars", async () => {
    const { page, context } = await signedInPage(portal, "admin@harbor.example");
    const figure = await openChartTable(page);
    const fromBars = await figure
      .locator("svg.wide")
      .evaluate((svg) =>
        [...svg.querySelectorAll("rect.issued, rect.redeemed")].map(
          (bar) => `${bar.getAttribute("class")} ${bar.querySelector("title")?.textContent}`,
        ),
      );
    const fromTable = await figure.locator("tbody tr").evaluateAll((rows) =>
      rows.flatMap((row) => {
        const day = row.querySelector("th")?.textContent;
        return [...row.querySelectorAll("td")].map(
          (cell) =>
            `${cell.getAttribute("data-series")} ${day}: ${cell.getAttribute("data-label")} ${cell.textContent}`,
        );
      }),
    );
    expect(fromBars.length).toBe(60);
    expect(fromTable).toEqual(fromBars);
    expect(fromTable.filter((row) => !/ 0$/.test(row))).toEqual([
      expect.stringMatching(/^issued .*: Issued 5,000$/),
      expect.stringMatching(/^redeemed .*: Redeemed 500$/),
    ]);
    expect(await figure.locator("tfoot").textContent()).toBe("Total5,000500");
    await checkPage(page, "layout-chart-table-desktop");
    await context.close();
  });
});
