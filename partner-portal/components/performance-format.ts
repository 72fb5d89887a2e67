import type { I18n } from "../i18n";

/**
 * How the promotions and campaigns pages write a performance's ratios: signed percentages ("+12.3%", "−4%"), and
 * "Not known yet" for what the API answers null (no control group, no cost, fewer than 30 members a group).
 */

const signedPercent = (i18n: I18n, ratio: number) =>
  new Intl.NumberFormat(i18n.locale, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(
    ratio,
  );

/** An uplift in percent (12.3 for +12.3%), signed. */
export const upliftText = (i18n: I18n, pct: number | null) =>
  pct === null ? i18n.t("promotion.none") : signedPercent(i18n, pct / 100);

/** A return on cost as a ratio (1.5 for +150%), signed. */
export const roiText = (i18n: I18n, roi: number | null) =>
  roi === null ? i18n.t("promotion.none") : signedPercent(i18n, roi);

/** A response as a percentage of the targeted members (40 for 40%), unsigned; "–" when unknown. */
export const responseText = (i18n: I18n, pct: number | null) => (pct === null ? "–" : i18n.percent(pct / 100));
