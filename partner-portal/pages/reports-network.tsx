import type { NetworkReport, SettlementFlowRow } from "../../gateway/src/domain/reports/network";
import { periodName } from "../../gateway/src/domain/settlement/summary";
import { DownloadCsv } from "../components/download-csv";
import { Layout } from "../components/layout";
import { OperatorNav } from "../components/operator-nav";
import { ReportChart } from "../components/report-chart";
import { TableWrap } from "../components/table";
import { useI18n } from "../render";
import type { ResolvedRange } from "../routes/reports-range";
import { queryOf, ReportForm } from "./reports-form";

export const networkPath = "/portal/operator/network";

/**
 * The operator's view of the network over UTC days: points flowing between programs by conversions (a pair of
 * programs a row, as a table and as bars of the points taken out and credited), and money between partners per
 * settlement period from the issued statements (a table, and bars per currency). Both tables download as CSV,
 * the API's `GET /v1/reports/network.csv` files. The charts' own tables would repeat the page's, so they have none.
 */
export function NetworkPage(props: { report: NetworkReport; resolved: ResolvedRange; today: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { report } = props;
  const csv = (table: "conversions" | "settlements") =>
    `${networkPath}/${table}.csv?${queryOf({ from: report.from, to: report.to })}`;
  return (
    <Layout title={t("reports.network.title")} path={networkPath}>
      <OperatorNav current={networkPath} />
      <ReportForm action={networkPath} resolved={props.resolved} today={props.today} daysOnly />
      <p class="showing" data-range={`${report.from}/${report.to}`}>
        {t("reports.network.showing", { from: i18n.date(report.from), to: i18n.date(report.to) })}
      </p>
      <Conversions report={report} csv={csv("conversions")} />
      <Settlements report={report} csv={csv("settlements")} />
    </Layout>
  );
}

/** Points between programs: the totals, every pair in a table, and the pairs as bars. */
function Conversions(props: { report: NetworkReport; csv: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { totals, conversions } = props.report;
  const columns = {
    conversions: t("reports.network.col.conversions"),
    from: t("reports.network.col.fromPoints"),
    to: t("reports.network.col.toPoints"),
    fee: t("reports.network.col.feePoints"),
  };
  const pair = (flow: NetworkReport["conversions"][number]) =>
    t("reports.network.pair", { from: flow.from_program_name, to: flow.to_program_name });
  return (
    <section aria-labelledby="network-points">
      <h2 id="network-points">{t("reports.network.points")}</h2>
      <dl class="cards">
        {(
          [
            ["conversions", columns.conversions, totals.conversions],
            ["from_points", columns.from, totals.from_points],
            ["to_points", columns.to, totals.to_points],
            ["fee_points", columns.fee, totals.fee_points],
          ] as const
        ).map(([key, label, value]) => (
          <div class="card" data-total={key}>
            <dt>{label}</dt>
            <dd class="value">{i18n.number(value)}</dd>
          </div>
        ))}
      </dl>
      {conversions.length === 0 ? null : (
        <TableWrap label={t("reports.network.pointsTable")}>
          <table class="network-conversions">
            <thead>
              <tr>
                <th scope="col">{t("reports.network.col.pair")}</th>
                <th scope="col" class="num">
                  {columns.conversions}
                </th>
                <th scope="col" class="num">
                  {columns.from}
                </th>
                <th scope="col" class="num">
                  {columns.to}
                </th>
                <th scope="col" class="num">
                  {columns.fee}
                </th>
              </tr>
            </thead>
            <tbody>
              {conversions.map((flow) => (
                <tr data-pair={`${flow.from_program_id}>${flow.to_program_id}`}>
                  <th scope="row">{pair(flow)}</th>
                  <td class="num" data-label={columns.conversions} data-column="conversions">
                    {i18n.number(flow.conversions)}
                  </td>
                  <td class="num" data-label={columns.from} data-column="from_points">
                    {i18n.number(flow.from_points)}
                  </td>
                  <td class="num" data-label={columns.to} data-column="to_points">
                    {i18n.number(flow.to_points)}
                  </td>
                  <td class="num" data-label={columns.fee} data-column="fee_points">
                    {i18n.number(flow.fee_points)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <DownloadCsv href={props.csv} title={t("reports.network.points")} />
      <ReportChart
        kind="conversions"
        layout="rows"
        title={t("reports.network.flow.title")}
        unit={t("chart.unit")}
        desc={t("reports.network.flow.desc", {
          conversions: i18n.number(totals.conversions),
          from: i18n.number(totals.from_points),
          to: i18n.number(totals.to_points),
        })}
        series={[
          { key: "from", label: columns.from },
          { key: "to", label: columns.to },
        ]}
        groups={conversions.map((flow) => ({
          key: `${flow.from_program_id}>${flow.to_program_id}`,
          tick: pair(flow),
          name: pair(flow),
          values: { from: flow.from_points, to: flow.to_points },
        }))}
        groupHeading={t("reports.network.col.pair")}
        empty={t("reports.network.flow.empty")}
        tableElsewhere
      />
    </section>
  );
}

/** Money between partners: each period's flows in a table, and per currency as bars. */
function Settlements(props: { report: NetworkReport; csv: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { settlements } = props.report;
  const currencies = [...new Set(settlements.map((flow) => flow.currency))].sort();
  const period = (flow: SettlementFlowRow) => periodName(flow.period_start, flow.period_end, i18n.locale);
  const owes = (flow: SettlementFlowRow) =>
    t("reports.network.owes", { payer: flow.payer_name, payee: flow.payee_name });
  const columns = {
    flow: t("reports.network.col.flow"),
    amount: t("reports.network.col.amount"),
    lines: t("reports.network.col.lines"),
  };
  return (
    <section aria-labelledby="network-money">
      <h2 id="network-money">{t("reports.network.money")}</h2>
      <p class="muted">{t("reports.network.moneyIntro")}</p>
      {settlements.length === 0 ? (
        <p data-empty="settlements">{t("reports.network.moneyEmpty")}</p>
      ) : (
        <TableWrap label={t("reports.network.moneyTable")}>
          <table class="network-settlements">
            <thead>
              <tr>
                <th scope="col">{t("reports.network.col.period")}</th>
                <th scope="col">{columns.flow}</th>
                <th scope="col" class="num">
                  {columns.amount}
                </th>
                <th scope="col" class="num">
                  {columns.lines}
                </th>
              </tr>
            </thead>
            <tbody>
              {settlements.map((flow) => (
                <tr data-period={flow.period_id} data-payer={flow.payer_partner_id} data-payee={flow.payee_partner_id}>
                  <th scope="row">{period(flow)}</th>
                  <td data-label={columns.flow}>{owes(flow)}</td>
                  <td class="num" data-label={columns.amount} data-amount-minor={flow.amount_minor}>
                    {i18n.money(flow.amount_minor, flow.currency)}
                  </td>
                  <td class="num" data-label={columns.lines}>
                    {i18n.number(flow.lines)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <DownloadCsv href={props.csv} title={t("reports.network.money")} />
      {currencies.map((currency) => {
        const flows = settlements.filter((flow) => flow.currency === currency);
        const total = flows.reduce((sum, flow) => sum + flow.amount_minor, 0);
        const money = (minor: number) => i18n.money(minor, currency);
        return (
          <ReportChart
            kind={`settlements-${currency}`}
            layout="rows"
            title={t("reports.network.moneyChart")}
            unit={currency}
            desc={t("reports.network.moneyDesc", { total: money(total), flows: i18n.number(flows.length) })}
            series={[{ key: "amount", label: columns.amount }]}
            groups={flows.map((flow) => ({
              key: `${flow.period_id}:${flow.payer_partner_id}>${flow.payee_partner_id}`,
              tick: `${period(flow)}: ${owes(flow)}`,
              name: `${period(flow)}: ${owes(flow)}`,
              values: { amount: flow.amount_minor },
            }))}
            groupHeading={columns.flow}
            format={money}
            empty={t("reports.network.moneyEmpty")}
            tableElsewhere
          />
        );
      })}
    </section>
  );
}
