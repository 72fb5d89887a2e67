import type {
  DrilldownMeasure,
  DrilldownRequest,
  DrilldownRow,
  SliceTotals,
} from "../../gateway/src/domain/reports/drilldown";
import { Layout } from "../components/layout";
import { TableWrap } from "../components/table";
import type { I18n } from "../i18n";
import { enumLabel } from "../problems";
import { useI18n } from "../render";
import { channelName } from "./reports";
import { reportsHref } from "./reports-form";

/** The bar a drill-down lists: its program, measure, local days and dimension key, named for people. */
export type DrilldownView = {
  program: { id: string; name: string; timezone: string };
  request: Omit<DrilldownRequest, "range"> & { from: string; to: string };
  /** The promotion's name, for a promotion's bar. */
  keyName: string | null;
  totals: SliceTotals;
  rows: DrilldownRow[];
  /** The query strings of the neighbouring pages (none: no such page). */
  links: { older?: string; newer?: string };
  /** The reports page the bar was on. */
  back: string;
};

/** A transaction's moment on the program's wall clock, said with its zone. */
const zonedTime = (i18n: I18n, timezone: string, at: number) =>
  `${new Intl.DateTimeFormat(i18n.locale, { dateStyle: "medium", timeStyle: "short", timeZone: timezone }).format(at)} (${timezone})`;

/** What the bar counts, in words: "Points earned, channel Web, 1 Nov 2026 to 30 Nov 2026". */
function sliceText(i18n: I18n, view: DrilldownView) {
  const { t } = i18n;
  const { request } = view;
  const measure = t(`reports.measure.${request.measure}`);
  const days =
    request.from === request.to
      ? i18n.date(request.from)
      : t("reports.days", { from: i18n.date(request.from), to: i18n.date(request.to) });
  const dimension = request.dimension;
  if (!dimension) return t("reports.drill.slice", { measure, days });
  const key =
    dimension.key === null
      ? t("reports.none")
      : dimension.name === "channel"
        ? channelName(i18n, dimension.key)
        : (view.keyName ?? dimension.key);
  return t("reports.drill.sliceBy", { measure, days, dimension: t(`reports.dimension.${dimension.name}`), key });
}

/** The points the bar counts, signed as it counts them: a reversal takes away. */
const signedPoints = (i18n: I18n, measure: DrilldownMeasure, points: number) =>
  measure === "active"
    ? i18n.number(points)
    : new Intl.NumberFormat(i18n.locale, { signDisplay: "exceptZero" }).format(points);

/**
 * The transactions behind a bar of the reports: what the bar counts in words, its totals (the bar's value: points,
 * or for active members the distinct members), and the transactions newest first, a page at a time (Newer and
 * Older links carry the cursor), each with its time on the program's clock, type, member, points as counted,
 * channel, store and reference.
 */
export function DrilldownPage(props: { view: DrilldownView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { view } = props;
  const { totals, request } = view;
  const path = reportsHref(`/${view.program.id}/transactions`, {});
  const columns = {
    when: t("reports.drill.col.when"),
    type: t("reports.drill.col.type"),
    member: t("reports.drill.col.member"),
    points: t("reports.drill.col.points"),
    channel: t("reports.drill.col.channel"),
    store: t("reports.drill.col.store"),
    reference: t("reports.drill.col.reference"),
  };
  const cards =
    request.measure === "active"
      ? ([
          ["members", t("reports.drill.members"), totals.members],
          ["transactions", t("reports.drill.transactions"), totals.transactions],
        ] as const)
      : ([
          ["points", t("reports.drill.points"), totals.points],
          ["transactions", t("reports.drill.transactions"), totals.transactions],
          ["members", t("reports.drill.members"), totals.members],
        ] as const);
  const { older, newer } = view.links;
  return (
    <Layout title={t("reports.drill.title")} path="/portal/reports">
      <p>
        <a href={view.back}>{t("reports.drill.back", { program: view.program.name })}</a>
      </p>
      <p class="slice" data-slice={request.measure}>
        {view.program.name}: {sliceText(i18n, view)}
      </p>
      <dl class="cards">
        {cards.map(([key, label, value]) => (
          <div class="card" data-total={key}>
            <dt>{label}</dt>
            <dd class="value">{i18n.number(value)}</dd>
          </div>
        ))}
      </dl>
      {view.rows.length === 0 ? (
        <p data-empty="transactions">{t("reports.drill.empty")}</p>
      ) : (
        <TableWrap label={t("reports.drill.tableLabel")}>
          <table class="drilldown">
            <thead>
              <tr>
                <th scope="col">{columns.when}</th>
                <th scope="col">{columns.type}</th>
                <th scope="col">{columns.member}</th>
                <th scope="col" class="num">
                  {columns.points}
                </th>
                <th scope="col">{columns.channel}</th>
                <th scope="col">{columns.store}</th>
                <th scope="col">{columns.reference}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row) => (
                <tr data-transaction={row.id} data-type={row.type}>
                  <th scope="row">{zonedTime(i18n, view.program.timezone, row.created_at)}</th>
                  <td data-label={columns.type}>{enumLabel(i18n, "reports.type", row.type)}</td>
                  <td data-label={columns.member}>{row.external_id}</td>
                  <td class="num" data-label={columns.points} data-points={row.counted_points}>
                    {signedPoints(i18n, request.measure, row.counted_points)}
                  </td>
                  <td data-label={columns.channel}>{row.channel ? channelName(i18n, row.channel) : "–"}</td>
                  <td data-label={columns.store}>{row.store_id ?? "–"}</td>
                  <td data-label={columns.reference}>{row.reference ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {older || newer ? (
        <nav class="pager" aria-label={t("reports.drill.pages")}>
          {newer ? (
            <a href={`${path}?${newer}`} rel="prev">
              {t("reports.drill.newer")}
            </a>
          ) : null}
          {older ? (
            <a href={`${path}?${older}`} rel="next">
              {t("reports.drill.older")}
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}
