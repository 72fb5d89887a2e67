import { scaleBand, scaleLinear } from "d3-scale";
import { useRequestContext } from "hono/jsx-renderer";
import type { I18n, MessageKey } from "../i18n";
import { useI18n } from "../render";
import { TableWrap } from "./table";

/** A series of bars: its key in every day's values and its label. The first is solid blue, a second striped orange. */
export type ChartSeries<K extends string> = { key: K; label: MessageKey };

/** A UTC day (`YYYY-MM-DD`) and its value of each series. */
type Day<K extends string> = { day: string } & Record<K, number>;

/** The dashboard's series, the default. */
const issuedAndRedeemed = [
  { key: "issued", label: "chart.issued" },
  { key: "redeemed", label: "chart.redeemed" },
] as const satisfies readonly ChartSeries<"issued" | "redeemed">[];

/**
 * The bars' colours, each at least 3:1 against the chart's white (WCAG 1.4.11; 5.1:1 and 5.4:1): the brand's
 * blue, and a dark orange (the former #f79009 was 2.3:1). Redeemed bars are also striped, so colour is not the
 * only cue.
 */
export const chartColors = { issued: "#0b5fff", redeemed: "#b54708", stripe: "#ffffff" } as const;
export const ink = "#5b6575";
export const gridLine = "#d8dde5";

/**
 * Two drawings of the same bars, switched by CSS (styles/layout.ts): a wide one for desktops and a narrow one
 * for phones, whose labels are sized in its own units so that they are drawn at 11 px or more (14 units in a
 * 360-unit box shown 270 to 480 px wide; 12 units in a 720-unit box shown 670 px wide or more).
 */
export const drawings = {
  wide: {
    width: 720,
    height: 260,
    font: 12,
    yTicks: 4,
    xLabels: 6,
    margin: { top: 16, right: 16, bottom: 32, left: 48 },
  },
  narrow: {
    width: 360,
    height: 260,
    font: 14,
    yTicks: 3,
    xLabels: 3,
    margin: { top: 12, right: 8, bottom: 30, left: 44 },
  },
} as const;
type Drawing = (typeof drawings)[keyof typeof drawings];

/** A row of the chart's table: a day (or the total) and its value of each series, labelled for the cards. */
function Row<K extends string>(props: {
  heading: string;
  series: readonly ChartSeries<K>[];
  values: Record<K, number>;
}) {
  const i18n = useI18n();
  return (
    <tr>
      <th scope="row">{props.heading}</th>
      {props.series.map(({ key, label }) => (
        <td class="num" data-label={i18n.t(label)} data-series={key}>
          {i18n.number(props.values[key])}
        </td>
      ))}
    </tr>
  );
}

/** A series' fill: the first solid blue, the others striped orange (`stripes`, the pattern's id). */
export const fillOf = (index: number, stripes: string) => (index === 0 ? chartColors.issued : `url(#${stripes})`);

/** Ids unique within one page, which may hold one chart per program. */
const chartsRendered = new WeakMap<object, number>();
export function useChartId() {
  const c = useRequestContext();
  const count = (chartsRendered.get(c) ?? 0) + 1;
  chartsRendered.set(c, count);
  return `chart-${count}`;
}

/** The stripes of the redeemed bars: the bar's colour crossed by thin white lines. */
export const Stripes = (props: { id: string }) => (
  <pattern id={props.id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
    <rect width="6" height="6" fill={chartColors.redeemed} />
    <rect width="2" height="6" fill={chartColors.stripe} />
  </pattern>
);

/** A chart's legend: each series' swatch (the first solid, the others striped) and its text. */
export function Legend(props: { id: string; items: { key: string; text: string }[] }) {
  const stripes = `${props.id}-legend-stripes`;
  return (
    <ul class="legend">
      {props.items.map(({ key, text }, index) => (
        <li data-series={key}>
          <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            {index > 0 ? (
              <defs>
                <Stripes id={stripes} />
              </defs>
            ) : null}
            <rect width="16" height="16" fill={fillOf(index, stripes)} />
          </svg>
          {text}
        </li>
      ))}
    </ul>
  );
}

/**
 * Values per day as grouped bars, rendered to SVG on the server (scales from d3-scale; no script, so it shows on
 * any phone and prints): a figure titled with its unit, a wide and a narrow drawing (each with a <title> and a
 * <desc>), a legend with each series' total, and the same numbers as a table under "Show as a table". By default
 * the dashboard's points issued and redeemed; `series` and `describe` (the drawings' description from the first
 * and last days and each series' total) draw others.
 */
export function DailyChart<K extends string = "issued" | "redeemed">(props: {
  days: Day<NoInfer<K>>[];
  title?: string;
  series?: readonly ChartSeries<K>[];
  describe?: (span: { from: string; to: string; totals: Record<K, string> }) => string;
}) {
  const { days } = props;
  const i18n = useI18n();
  const { t } = i18n;
  const id = useChartId();
  const series = props.series ?? (issuedAndRedeemed as unknown as readonly ChartSeries<K>[]);
  const title = props.title ?? t("chart.title");
  const total = Object.fromEntries(series.map(({ key }) => [key, days.reduce((sum, d) => sum + d[key], 0)])) as Record<
    K,
    number
  >;
  const describe =
    props.describe ??
    ((span: { from: string; to: string; totals: Record<K, string> }) =>
      t("chart.desc", { from: span.from, to: span.to, ...(span.totals as Record<"issued" | "redeemed", string>) }));
  const first = days[0]?.day;
  const last = days[days.length - 1]?.day;
  const desc =
    first && last
      ? describe({
          from: i18n.date(first),
          to: i18n.date(last),
          totals: Object.fromEntries(series.map(({ key }) => [key, i18n.number(total[key])])) as Record<K, string>,
        })
      : "";
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{t("chart.caption", { title, unit: t("chart.unit") })}</figcaption>
      {(Object.entries(drawings) as [keyof typeof drawings, Drawing][]).map(([name, drawing]) => (
        <Bars
          id={`${id}-${name}`}
          name={name}
          drawing={drawing}
          days={days}
          series={series}
          title={title}
          desc={desc}
          i18n={i18n}
        />
      ))}
      <Legend
        id={id}
        items={series.map(({ key, label }) => ({
          key,
          text: t("chart.total", { series: t(label), value: i18n.number(total[key]) }),
        }))}
      />
      <details>
        <summary>{t("chart.showTable")}</summary>
        <TableWrap label={t("chart.tableLabel", { title })}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("chart.day")}</th>
                {series.map(({ label }) => (
                  <th scope="col" class="num">
                    {t(label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <Row heading={i18n.date(d.day)} series={series} values={d} />
              ))}
            </tbody>
            <tfoot>
              <Row heading={t("chart.sum")} series={series} values={total} />
            </tfoot>
          </table>
        </TableWrap>
      </details>
    </figure>
  );
}

/** One drawing of the bars, at its size: gridlines with compact values, a few day labels, a bar per series a day. */
function Bars<K extends string>(props: {
  id: string;
  name: string;
  drawing: Drawing;
  days: Day<K>[];
  series: readonly ChartSeries<K>[];
  title: string;
  desc: string;
  i18n: I18n;
}) {
  const { drawing, days, series, i18n } = props;
  const { width, height, font } = drawing;
  const { t } = i18n;
  const max = Math.max(1, ...days.flatMap((d) => series.map(({ key }) => d[key])));
  const y = scaleLinear()
    .domain([0, max])
    .nice(drawing.yTicks)
    .range([height - drawing.margin.bottom, drawing.margin.top]);
  const compact = new Intl.NumberFormat(i18n.locale, { notation: "compact" });
  const ticks = y
    .ticks(drawing.yTicks)
    .filter(Number.isInteger)
    .map((tick) => ({ tick, label: compact.format(tick) }));
  // Room on the left for the longest value ("5 тыс." is wider than "5K"), at about 0.6 em a character.
  const longest = Math.max(...ticks.map(({ label }) => label.length));
  const margin = { ...drawing.margin, left: Math.max(drawing.margin.left, Math.ceil(longest * font * 0.6) + 10) };
  const x = scaleBand()
    .domain(days.map((d) => d.day))
    .range([margin.left, width - margin.right])
    .padding(0.2);
  const bandWidth = x.bandwidth() / series.length;
  const half = x.bandwidth() / 2;
  const bar = (value: number) => Math.max(0, y(0) - y(Math.max(0, value)));
  const dayMonth = new Intl.DateTimeFormat(i18n.locale, { day: "numeric", month: "short", timeZone: "UTC" });
  const every = Math.max(1, Math.ceil(days.length / drawing.xLabels));
  // A label's half width, roughly (0.3 em a character), keeps the first and last labels inside the box.
  const inside = (center: number, text: string) => {
    const halfWidth = text.length * font * 0.3;
    return Math.min(Math.max(center, halfWidth), width - halfWidth);
  };
  return (
    <svg
      class={props.name}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${props.id}-title`}
      aria-describedby={`${props.id}-desc`}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.desc}</desc>
      <defs>
        <Stripes id={`${props.id}-stripes`} />
      </defs>
      {ticks.map(({ tick, label }) => (
        <g>
          <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} stroke={gridLine} />
          <text x={margin.left - 6} y={y(tick) + font / 3} text-anchor="end" font-size={font} fill={ink}>
            {label}
          </text>
        </g>
      ))}
      {days.map((d, index) => {
        const left = x(d.day) ?? 0;
        const label = dayMonth.format(new Date(d.day));
        return (
          <g>
            {series.map(({ key, label: name }, at) => (
              <rect
                class={key}
                x={left + at * bandWidth}
                y={y(Math.max(0, d[key]))}
                width={bandWidth}
                height={bar(d[key])}
                fill={fillOf(at, `${props.id}-stripes`)}
              >
                <title>{`${i18n.date(d.day)}: ${t(name)} ${i18n.number(d[key])}`}</title>
              </rect>
            ))}
            {index % every === 0 ? (
              <text
                x={inside(left + half, label)}
                y={height - margin.bottom + font + 6}
                text-anchor="middle"
                font-size={font}
                fill={ink}
                class="day"
              >
                {label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
