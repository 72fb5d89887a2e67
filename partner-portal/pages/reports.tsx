import type { Breakdowns, SliceBar } from "../../gateway/src/domain/reports/drilldown";
import type { RfmView } from "../../gateway/src/domain/rfm/view";
import { DownloadCsv } from "../components/download-csv";
import { Layout } from "../components/layout";
import { ReportChart } from "../components/report-chart";
import type { ReportGroup } from "../components/report-drawing";
import { RfmHeatmap } from "../components/rfm-heatmap";
import type { I18n } from "../i18n";
import { enumLabel } from "../problems";
import { useI18n, useSignedIn } from "../render";
import type { ReportInterval, ResolvedRange } from "../routes/reports-range";
import { type ProgramChoice, queryOf, ReportForm, reportsHref } from "./reports-form";

/** One bucket of the KPI series: its local days (clipped to the range) and the figures the charts draw. */
export type KpiBucket = { bucket: string; start: string; end: string; whole: boolean } & KpiFigures;
/** Points earned, points spent (burned and redeemed in the catalogue), and distinct active members. */
export type KpiFigures = { earned: number; spent: number; active: number };
export type KpiView = { buckets: KpiBucket[]; totals: KpiFigures };

/** A promotion's bonus points awarded in the range (gross, as its budget counts them) and its awards. */
export type PromotionBar = { id: string; name: string; points: number; awards: number };

/** Members per tier at the end of the range, lowest tier first; `key` null counts the members without a tier. */
export type TierMix = { key: string | null; name: string | null; members: number }[];

export type ReportsView = {
  programs: ProgramChoice[];
  program: ProgramChoice & { timezone: string };
  resolved: ResolvedRange;
  today: string;
  kpis: KpiView;
  breakdowns: Breakdowns;
  promotions: PromotionBar[];
  tiers: TierMix;
  rfm: RfmView;
};

/** The charts that download as CSV, each at `/portal/reports/{program}/{chart}.csv`. */
export const reportCharts = ["kpis", "promotions", "channels", "stores", "tiers", "rfm"] as const;
export type ReportChartName = (typeof reportCharts)[number];

/** How a bucket is named in full, and by its bars. */
function bucketNames(i18n: I18n, interval: ReportInterval, bucket: KpiBucket) {
  const short = new Intl.DateTimeFormat(i18n.locale, { day: "numeric", month: "short", timeZone: "UTC" });
  const month = new Intl.DateTimeFormat(i18n.locale, { month: "long", year: "numeric", timeZone: "UTC" });
  const monthShort = new Intl.DateTimeFormat(i18n.locale, { month: "short", year: "2-digit", timeZone: "UTC" });
  const at = new Date(`${bucket.start}T00:00:00Z`);
  if (interval === "day") return { tick: short.format(at), name: i18n.date(bucket.start) };
  const days = { from: i18n.date(bucket.start), to: i18n.date(bucket.end) };
  if (interval === "week")
    return {
      tick: short.format(at),
      name: bucket.whole ? i18n.t("reports.weekOf", { date: days.from }) : i18n.t("reports.days", days),
    };
  const monthAt = new Date(`${bucket.bucket}T00:00:00Z`);
  return {
    tick: monthShort.format(monthAt),
    name: bucket.whole ? month.format(monthAt) : i18n.t("reports.days", days),
  };
}

/** The stores drawn, the largest first: a chain's hundreds of stores are in the table and the CSV. */
const drawnStores = 20;

/** Who reads the CSV files: finance and admin, as statements and segments. */
const useCanDownload = () => useSignedIn().role !== "viewer";

/**
 * The reports of a program its partner owns, over a range of the program's local days: the range form, then
 * activity over time (points earned and spent, active members), sales by promotion, channel and store, the tier
 * mix and the RFM grid. Every chart's bars link to the transactions behind them and its numbers download as CSV.
 */
export function ReportsPage(props: { view: ReportsView | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { view } = props;
  return (
    <Layout title={t("reports.title")} path="/portal/reports">
      {view ? <Reports view={view} /> : <p data-empty="programs">{t("reports.noPrograms")}</p>}
    </Layout>
  );
}

function Reports(props: { view: ReportsView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { view } = props;
  const { range } = view.resolved;
  const canDownload = useCanDownload();
  const common = { from: range.from, to: range.to };
  const csv = (chart: ReportChartName) =>
    canDownload ? reportsHref(`/${view.program.id}/${chart}.csv`, { ...common, interval: range.interval }) : undefined;
  // Each drill-down carries the view it came from, for its link back.
  const { preset } = view.resolved;
  const back = queryOf(preset ? { preset, interval: range.interval } : { ...common, interval: range.interval });
  const drill = (measure: string, days: { from: string; to: string }, by?: { name: string; key: string | null }) =>
    reportsHref(`/${view.program.id}/transactions`, {
      measure,
      ...days,
      by: by?.name,
      key: by?.key ?? undefined,
      back,
    });
  return (
    <>
      <ReportForm
        action="/portal/reports"
        picker={{ programs: view.programs, program: view.program }}
        resolved={view.resolved}
        today={view.today}
      />
      <p class="showing" data-range={`${range.from}/${range.to}/${range.interval}`}>
        {t("reports.showing", {
          program: view.program.name,
          from: i18n.date(range.from),
          to: i18n.date(range.to),
          per: t(`reports.per.${range.interval}`),
          timezone: view.program.timezone,
        })}
      </p>
      <Activity view={view} csv={csv("kpis")} drill={drill} />
      <section aria-labelledby="report-sales">
        <h2 id="report-sales">{t("reports.sales")}</h2>
        <Breakdown
          kind="promotions"
          bars={view.promotions.map((bar) => ({ key: bar.id, points: bar.points, label: bar.name }))}
          title={t("reports.promotions.title")}
          heading={t("reports.promotions.heading")}
          series={t("reports.promotions.series")}
          empty={t("reports.promotions.empty")}
          csv={csv("promotions")}
          href={(bar) => drill("promotion_bonus", common, { name: "promotion", key: bar.key })}
          note={t("reports.promotions.note")}
        />
        <Breakdown
          kind="channels"
          bars={view.breakdowns.channels.map((bar) => ({
            ...bar,
            label: bar.key === null ? t("reports.none") : channelName(i18n, bar.key),
          }))}
          title={t("reports.channels.title")}
          heading={t("reports.channels.heading")}
          series={t("reports.earned")}
          empty={t("reports.earnedEmpty")}
          csv={csv("channels")}
          href={(bar) => drill("earned", common, { name: "channel", key: bar.key })}
        />
        <Breakdown
          kind="stores"
          bars={view.breakdowns.stores.map((bar) => ({ ...bar, label: bar.key ?? t("reports.none") }))}
          title={t("reports.stores.title")}
          heading={t("reports.stores.heading")}
          series={t("reports.earned")}
          empty={t("reports.earnedEmpty")}
          csv={csv("stores")}
          href={(bar) => drill("earned", common, { name: "store", key: bar.key })}
          drawn={drawnStores}
        />
      </section>
      <section aria-labelledby="report-members">
        <h2 id="report-members">{t("reports.members")}</h2>
        <TierChart tiers={view.tiers} to={range.to} csv={csv("tiers")} />
        {view.rfm.computedAt ? (
          <>
            <RfmHeatmap rfm={view.rfm} id="report-rfm" />
            {canDownload ? <DownloadCsv href={csv("rfm") ?? ""} title={t("rfm.map.title")} /> : null}
          </>
        ) : (
          <p data-empty="rfm">{t("reports.rfmNever")}</p>
        )}
      </section>
    </>
  );
}

/** The channels the API takes (routes/transactions/schemas.ts), each with its name in words. */
const channels = ["store", "web", "app", "call_center", "partner", "other"] as const;

/** A channel in words ("Web", "Call center"), or as stored if it is none the API takes. */
export const channelName = (i18n: I18n, channel: string) =>
  (channels as readonly string[]).includes(channel)
    ? enumLabel(i18n, "reports.channel", channel as (typeof channels)[number])
    : channel;

/** The KPI totals as cards, then points earned and spent, and active members, a bar per bucket. */
function Activity(props: {
  view: ReportsView;
  csv?: string;
  drill: (measure: string, days: { from: string; to: string }) => string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { view, drill } = props;
  const { interval } = view.resolved.range;
  const { buckets, totals } = view.kpis;
  const groups = (keys: (keyof KpiFigures)[]): ReportGroup<keyof KpiFigures>[] =>
    buckets.map((bucket) => ({
      key: bucket.bucket,
      ...bucketNames(i18n, interval, bucket),
      values: bucket,
      hrefs: Object.fromEntries(keys.map((key) => [key, drill(key, { from: bucket.start, to: bucket.end })])),
    }));
  const per = t(`reports.per.${interval}`);
  const span = { from: i18n.date(view.resolved.range.from), to: i18n.date(view.resolved.range.to) };
  const figures = [
    ["earned", t("reports.earned")],
    ["spent", t("reports.spent")],
    ["active", t("reports.active")],
  ] as const;
  return (
    <section aria-labelledby="report-activity">
      <h2 id="report-activity">{t("reports.activity")}</h2>
      <dl class="cards">
        {figures.map(([key, label]) => (
          <div class="card" data-total={key}>
            <dt>{label}</dt>
            <dd class="value">{i18n.number(totals[key])}</dd>
          </div>
        ))}
      </dl>
      <ReportChart
        kind="points"
        layout="columns"
        title={t("reports.points.title", { per })}
        unit={t("chart.unit")}
        desc={t("reports.points.desc", {
          ...span,
          earned: i18n.number(totals.earned),
          spent: i18n.number(totals.spent),
        })}
        series={[
          { key: "earned", label: t("reports.earned") },
          { key: "spent", label: t("reports.spent") },
        ]}
        groups={groups(["earned", "spent"])}
        groupHeading={t(`reports.bucket.${interval}`)}
        totals={totals}
        csv={props.csv}
        empty={t("reports.earnedEmpty")}
      />
      <ReportChart
        kind="active"
        layout="columns"
        title={t("reports.active.title", { per })}
        unit={t("reports.unit.members")}
        desc={t("reports.active.desc", { ...span, active: i18n.number(totals.active) })}
        series={[{ key: "active", label: t("reports.active") }]}
        groups={groups(["active"])}
        groupHeading={t(`reports.bucket.${interval}`)}
        totals={totals}
        csv={props.csv}
        empty={t("reports.earnedEmpty")}
      >
        <p class="muted">{t("reports.active.note")}</p>
      </ReportChart>
    </section>
  );
}

/** A bar of a breakdown: its key (null: not given), points and name. */
type BreakdownBar = Pick<SliceBar, "key" | "points"> & { label: string };

/** Points by one dimension over the range, a labelled bar each, largest first. */
function Breakdown(props: {
  kind: string;
  bars: BreakdownBar[];
  title: string;
  heading: string;
  series: string;
  empty: string;
  csv?: string;
  href: (bar: BreakdownBar) => string;
  note?: string;
  drawn?: number;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const total = props.bars.reduce((sum, bar) => sum + bar.points, 0);
  const top = props.bars[0];
  return (
    <ReportChart
      kind={props.kind}
      layout="rows"
      title={props.title}
      unit={t("chart.unit")}
      desc={
        top
          ? t("reports.breakdown.desc", { total: i18n.number(total), top: top.label, points: i18n.number(top.points) })
          : ""
      }
      series={[{ key: "points", label: props.series }]}
      groups={props.bars.map((bar) => ({
        key: bar.key ?? "",
        tick: bar.label,
        name: bar.label,
        values: { points: bar.points },
        hrefs: { points: props.href(bar) },
      }))}
      groupHeading={props.heading}
      totals={{ points: total }}
      csv={props.csv}
      empty={props.empty}
      drawn={props.drawn}
    >
      {props.note ? <p class="muted">{props.note}</p> : null}
    </ReportChart>
  );
}

/**
 * Members per tier at the end of the range, lowest first, and those without one: members, not transactions, so its
 * bars open nothing.
 */
function TierChart(props: { tiers: TierMix; to: string; csv?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const total = props.tiers.reduce((sum, tier) => sum + tier.members, 0);
  return (
    <ReportChart
      kind="tiers"
      layout="rows"
      title={t("reports.tiers.title")}
      unit={t("reports.unit.members")}
      desc={t("reports.tiers.desc", { total: i18n.number(total), to: i18n.date(props.to) })}
      series={[{ key: "members", label: t("reports.tiers.series") }]}
      groups={props.tiers.map((tier) => {
        const name = tier.name ?? tier.key ?? t("reports.tiers.none");
        return { key: tier.key ?? "", tick: name, name, values: { members: tier.members } };
      })}
      groupHeading={t("reports.tiers.heading")}
      totals={{ members: total }}
      csv={props.csv}
      empty={t("reports.tiers.empty")}
    />
  );
}
