import type { ProgramKpis } from "../../gateway/src/domain/kpis";
import { DailyChart } from "../components/daily-chart";
import { Layout } from "../components/layout";
import { useI18n } from "../render";

/** The partner's own programs over the last 30 days: KPI cards and the daily chart. */
export function DashboardPage(props: { programs: ProgramKpis[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout title={t("dashboard.title")} path="/portal/dashboard">
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
          <DailyChart days={kpis.daily} />
        </section>
      ))}
    </Layout>
  );
}
