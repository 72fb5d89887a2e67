import type { Child } from "hono/jsx";
import { useI18n } from "../render";
import { Legend, useChartId } from "./daily-chart";
import { DownloadCsv } from "./download-csv";
import { ReportColumns } from "./report-columns";
import { barName, type ReportGroup, type ReportSeries } from "./report-drawing";
import { ReportRows } from "./report-rows";
import { TableWrap } from "./table";

/**
 * A report's chart, rendered to SVG on the server (d3-scale, no script), as the dashboard's: a figure titled with
 * its unit, a wide and a narrow drawing (groups along the bottom for time, a labelled bar a row for channels, stores,
 * promotions and tiers), each a named group whose bars are links to the transactions behind them; a legend (with
 * each series' total, when it has one); a "Download CSV" link to the same numbers; and the same numbers as a table
 * whose cells link as the bars do.
 */
export function ReportChart<K extends string>(props: {
  kind: string;
  title: string;
  unit: string;
  desc: string;
  layout: "columns" | "rows";
  series: readonly ReportSeries<K>[];
  groups: ReportGroup<K>[];
  /** The table's first column: "Week", "Channel". */
  groupHeading: string;
  /** Each series' total over the range (active members are distinct over it, not a sum), for the legend and table. */
  totals?: Record<K, number>;
  /** The chart's numbers as CSV, for the roles that download. */
  csv?: string;
  /** How a value is written (money, for one); by default a number, and on the axes a compact one ("1.2K"). */
  format?: (value: number) => string;
  /** The page shows the same numbers in a table of its own, so the chart has none. */
  tableElsewhere?: boolean;
  /** The most groups drawn (the first ones); the table and the CSV have them all. */
  drawn?: number;
  /** What the chart says when it has no groups. */
  empty: string;
  children?: Child;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useChartId();
  const { series, groups, totals } = props;
  const Drawing = props.layout === "columns" ? ReportColumns : ReportRows;
  const drawnGroups = groups.slice(0, props.drawn ?? groups.length);
  const compact = new Intl.NumberFormat(i18n.locale, { notation: "compact" });
  const format = props.format ?? i18n.number;
  const tick = props.format ?? ((value: number) => compact.format(value));
  const drawing = { id, title: props.title, desc: props.desc, series, groups: drawnGroups, i18n, format, tick };
  return (
    <figure class="chart report-chart" aria-labelledby={`${id}-caption`} data-chart={props.kind}>
      <figcaption id={`${id}-caption`}>{t("chart.caption", { title: props.title, unit: props.unit })}</figcaption>
      {props.children}
      {groups.length === 0 ? (
        <p data-empty={props.kind}>{props.empty}</p>
      ) : (
        <>
          <Drawing {...drawing} name="wide" />
          <Drawing {...drawing} name="narrow" />
          {drawnGroups.length < groups.length ? (
            <p class="muted" data-drawn={drawnGroups.length}>
              {t("reports.drawn", { drawn: i18n.number(drawnGroups.length), all: i18n.number(groups.length) })}
            </p>
          ) : null}
          <Legend
            id={id}
            items={series.map(({ key, label }) => ({
              key,
              text: totals ? t("chart.total", { series: label, value: format(totals[key]) }) : label,
            }))}
          />
        </>
      )}
      {props.csv ? <DownloadCsv href={props.csv} title={props.title} /> : null}
      {groups.length > 0 && !props.tableElsewhere ? (
        <details>
          <summary>{t("chart.showTable")}</summary>
          <TableWrap label={t("reports.tableLabel", { title: props.title })}>
            <ChartTable {...props} format={format} />
          </TableWrap>
        </details>
      ) : null}
    </figure>
  );
}

/** The chart's numbers as a table: a row a group, a column a series, a link where the bar has one. */
function ChartTable<K extends string>(props: {
  series: readonly ReportSeries<K>[];
  groups: ReportGroup<K>[];
  groupHeading: string;
  totals?: Record<K, number>;
  format: (value: number) => string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { series, groups, totals } = props;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{props.groupHeading}</th>
          {series.map(({ label }) => (
            <th scope="col" class="num">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <tr data-group={group.key}>
            <th scope="row">{group.name}</th>
            {series.map((one) => {
              const value = group.values[one.key];
              const href = group.hrefs?.[one.key];
              return (
                <td class="num" data-label={one.label} data-series={one.key} data-value={value}>
                  {href ? (
                    <a href={href} aria-label={barName(i18n, group, one, props.format(value))}>
                      {props.format(value)}
                    </a>
                  ) : (
                    props.format(value)
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
      {totals ? (
        <tfoot>
          <tr>
            <th scope="row">{t("chart.sum")}</th>
            {series.map(({ key, label }) => (
              <td class="num" data-label={label} data-series={key} data-value={totals[key]}>
                {props.format(totals[key])}
              </td>
            ))}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
