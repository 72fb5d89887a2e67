import type { Context } from "hono";
import { credentialsCss } from "./styles/credentials";
import { dashboardCss } from "./styles/dashboard";
import { layoutCss } from "./styles/layout";
import { memberCss } from "./styles/member";
import { operatorCss } from "./styles/operator";
import { problemsCss } from "./styles/problems";
import { promotionsCss } from "./styles/promotions";
import { reportsCss } from "./styles/reports";
import { rewardsCss } from "./styles/rewards";
import { segmentsCss } from "./styles/segments";
import { statementsCss } from "./styles/statements";
import { tiersCss } from "./styles/tiers";
import { webhooksCss } from "./styles/webhooks";

/** The core rules; each area's are in styles/ (the header menu, tables as cards on a phone and the chart: layout.ts). */
const coreCss = `
:root { --ink: #1c2430; --muted: #5b6575; --line: #d8dde5; --brand: #0b5fff; --bg: #f6f7f9; --ok: #0a7a3d; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--brand); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; z-index: 9; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 8px 16px; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; }
header .brand { font-weight: 700; margin-right: auto; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--ink); }
.languages { display: flex; gap: 8px; font-size: 14px; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.6rem; margin: 8px 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin-bottom: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.card dt { color: var(--muted); font-size: 14px; } .card dd { margin: 4px 0 0; font-size: 1.4rem; font-weight: 600; }
table { width: 100%; border-collapse: collapse; background: #fff; font-size: 15px; }
th, td { text-align: left; padding: 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 16px; }
form.stack { display: grid; gap: 12px; max-width: 420px; background: #fff; padding: 16px; border: 1px solid var(--line); border-radius: 8px; }
label { display: grid; gap: 4px; font-weight: 600; }
input, select, button { font: inherit; padding: 10px 12px; border-radius: 6px; border: 1px solid #98a2b3; min-height: 44px; }
button, .button { background: var(--brand); color: #fff; border: 0; cursor: pointer; text-decoration: none; display: inline-block; padding: 10px 14px; border-radius: 6px; }
button.secondary { background: #fff; color: var(--ink); border: 1px solid #98a2b3; }
.inline { display: inline; } .inline button { min-height: 36px; padding: 6px 10px; }
.alert { padding: 12px; border-radius: 6px; margin-bottom: 16px; border: 1px solid; }
.alert.error { color: var(--bad); border-color: var(--bad); background: #fef3f2; }
.alert.ok { color: var(--ok); border-color: var(--ok); background: #ecfdf3; }
.muted { color: var(--muted); } code, .hash { font-family: ui-monospace, monospace; font-size: 13px; word-break: break-all; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 16px; }
@media (max-width: 600px) { body { font-size: 15px; } th, td { padding: 6px; } h1 { font-size: 1.3rem; } }
`;

/** The portal's only stylesheet, served from /portal/assets/portal.css (no CDN, no build step). */
export const portalCss = [
  coreCss,
  layoutCss,
  problemsCss,
  dashboardCss,
  statementsCss,
  tiersCss,
  segmentsCss,
  promotionsCss,
  rewardsCss,
  reportsCss,
  webhooksCss,
  credentialsCss,
  operatorCss,
  memberCss,
].join("\n");

/**
 * The portal's icon: a "C" of the brand's blue, written by hand (no binary, no build step), with presentation
 * attributes only, as the portal's Content-Security-Policy allows no inline style.
 */
const faviconSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b5fff"/>' +
  '<circle cx="16" cy="16" r="8" fill="none" stroke="#fff" stroke-width="4" stroke-dasharray="38 12.3" transform="rotate(44 16 16)"/></svg>';

export const faviconPath = "/portal/assets/favicon.svg";

/** Serves the icon: at its path, and at /favicon.ico, which browsers ask for on pages that link none (/docs, JSON). */
export const favicon = (c: Context) =>
  c.body(faviconSvg, 200, { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400" });
