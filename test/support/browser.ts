import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

/** Where browser tests write their screenshots and downloads (not committed). */
export const testOutput = join(fileURLToPath(new URL("../..", import.meta.url)), "test-output", "browser");

/**
 * Debian's Chromium, headless, driven by playwright-core (`npx playwright install` cannot download here).
 * `.ci/run` installs the `chromium` package; the flags keep it off the closed network.
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(testOutput, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * Screenshots are for a person looking at the pages, not for a check: taken on a developer's machine, skipped in
 * CI (where nobody looks and each costs about 0.1 s) unless `SCREENSHOTS=1`.
 */
const takeScreenshots = process.env.SCREENSHOTS === "1" || !process.env.CI;

/** A full-page screenshot under test-output/browser/<name>.png (see `takeScreenshots`). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (takeScreenshots) await page.screenshot({ path: join(testOutput, `${name}.png`), fullPage: true });
}
