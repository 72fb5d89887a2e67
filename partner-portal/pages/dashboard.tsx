import type { ProgramKpis } from "../../gateway/src/domain/kpis";
import { DailyChart } from "../components/daily-chart";
import { Layout } from "../components/layout";
import type { I18n } from "../i18n";
import type { PortalSession } from "../session";

/** The partner's own programs over the last 30 days: KPI cards and the daily chart. */
export function DashboardPage(props: { i18n: I18n; session: PortalSession; programs: ProgramKpis[] }) {
  const { i18n } = props;
  const { t } = i18n;
  return (
    <Layout i18n={i18n} title={t("dashboard.title")} path="/portal/dashboard" session={props.session}>
      <p class="muted">{t("dashboard.window")}</p>
      {props.programs.length === 0 ? <p>{t("dashboard.noPrograms")}</p> : null}
      {props.programs.map((kpis) => (
        <section aria-labelledby={`program-${kpis.programId}`}>
          <h2 id={`program-${kpis.programId}`}>{kpis.name}</h2>
          <dl class="cards">
            {(
              [
                ["kpi.issued", i18n.number(kpis.issued)],
                ["kpi.redeemed", i18n.number(kpis.redeemed)],
                ["kpi.convertedIn", i18n.number(kpis.convertedIn)],
                ["kpi.convertedOut", i18n.number(kpis.convertedOut)],
                ["kpi.activeMembers", i18n.number(kpis.activeMembers)],
                ["kpi.redemptionRate", i18n.percent(kpis.redemptionRate)],
                ["kpi.liability", i18n.money(kpis.liabilityMinor, kpis.currency)],
              ] as const
            ).map(([key, value]) => (
              <div class="card" data-kpi={key}>
                <dt>{t(key)}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <DailyChart days={kpis.daily} i18n={i18n} />
        </section>
      ))}
    </Layout>
  );
}
