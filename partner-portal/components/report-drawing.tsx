import type { Child } from "hono/jsx";
import type { I18n } from "../i18n";
import { Stripes } from "./daily-chart";

/** What a report chart's drawings (components/report-columns.tsx, report-rows.tsx) and its table share. */

/** A series of a report chart: its key in each group's values, and its name. */
export type ReportSeries<K extends string> = { key: K; label: string };

/** One group of bars (a bucket of time, a channel, a store, a tier): its names, its values, and their drill-downs. */
export type ReportGroup<K extends string> = {
  key: string;
  /** Short, by its bars: "3 Nov", "Web". */
  tick: string;
  /** In full, in the table and each bar's name: "Week of 3 Nov 2026". */
  name: string;
  values: Record<K, number>;
  /** The page listing the transactions behind each bar, for the bars that have them. */
  hrefs?: Partial<Record<K, string>>;
};

/** What both drawings take. */
export type DrawingProps<K extends string> = {
  id: string;
  title: string;
  desc: string;
  series: readonly ReportSeries<K>[];
  groups: ReportGroup<K>[];
  i18n: I18n;
  /** A value in words ("1,200", "$12.00"), and an axis value, which may be shorter ("1.2K"). */
  format: (value: number) => string;
  tick: (value: number) => string;
};

/** A bar's accessible name: what and when it counts, its value, and that it opens the transactions. */
export const barName = (i18n: I18n, group: { name: string }, series: { label: string }, value: string) =>
  i18n.t("reports.bar", { group: group.name, series: series.label, value });

/**
 * A drawing at its size (its class shows it by CSS), named by its <title> and described by its <desc>, with the
 * stripes of its second series (`${id}-stripes`). It is not an image (`role="img"` would hide its links): its bars
 * are links, and what only draws goes in a Decoration.
 */
export function Drawing(props: {
  id: string;
  name: string;
  width: number;
  height: number;
  title: string;
  desc: string;
  children: Child;
}) {
  const { id } = props;
  return (
    <svg
      class={props.name}
      viewBox={`0 0 ${props.width} ${props.height}`}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.desc}</desc>
      <defs>
        <Stripes id={`${id}-stripes`} />
      </defs>
      {props.children}
    </svg>
  );
}

/**
 * What a drawing only draws (gridlines, axis values, labels written beside the bars), hidden from screen readers:
 * the bars' links and the table say the same in words.
 */
export const Decoration = (props: { children: Child }) => (
  // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG <g> of lines and text is never focusable.
  <g aria-hidden="true">{props.children}</g>
);

/**
 * Where to center a label of `text` so that it stays inside a box `width` wide: its half width, roughly (0.3 em a
 * character at `font`), from either edge.
 */
export function inside(center: number, text: string, font: number, width: number): number {
  const half = text.length * font * 0.3;
  return Math.min(Math.max(center, half), width - half);
}
