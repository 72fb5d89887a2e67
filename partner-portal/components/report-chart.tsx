import type { Child } from "hono/jsx";
import { useI18n } from "../render";
import { Legend, useChartId } from "./daily-chart";
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
  /** What the chart says when it has no groups. */
  empty: string;
  children?: Child;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useChartId();
  const { series, groups, totals } = props;
  const Drawing = props.layout === "columns" ? ReportColumns : ReportRows;
  const drawing = { id, title: props.title, desc: props.desc, series, groups, i18n };
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
          <Legend
            id={id}
            items={series.map(({ key, label }) => ({
              key,
              text: totals ? t("chart.total", { series: label, value: i18n.number(totals[key]) }) : label,
            }))}
          />
        </>
      )}
      {props.csv ? (
        <p class="download">
          <a href={props.csv} download aria-label={t("reports.csvNamed", { title: props.title })}>
            {t("reports.csv")}
          </a>
        </p>
      ) : null}
      {groups.length > 0 ? (
        <details>
          <summary>{t("chart.showTable")}</summary>
          <TableWrap label={t("reports.tableLabel", { title: props.title })}>
            <ChartTable {...props} />
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
                    <a href={href} aria-label={barName(i18n, group, one, value)}>
                      {i18n.number(value)}
                    </a>
                  ) : (
                    i18n.number(value)
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
                {i18n.number(totals[key])}
              </td>
            ))}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
