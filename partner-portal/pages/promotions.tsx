import type { OwnedPromotion, OwnedPromotions } from "../../gateway/src/domain/promotions/owned-performance";
import { DailyChart } from "../components/daily-chart";
import { Empty } from "../components/empty";
import { Layout } from "../components/layout";
import { roiText, upliftText } from "../components/performance-format";
import { PromotionsNav } from "../components/promotions-nav";
import { TableWrap } from "../components/table";
import type { I18n } from "../i18n";
import { enumLabel } from "../problems";
import { useI18n } from "../render";

/**
 * The Promotions pages, for the users of a partner that owns programs: per owned program its newest promotions
 * (status, when they run, budget used, control group), and one promotion's performance: treatment against
 * control, the uplift with its 95% interval, the cost of the points awarded, the return, and the awards per day.
 */

/** When a promotion runs: "from 1 Jun 2026" or "1 Jun 2026 to 1 Sept 2026". */
const runs = (i18n: I18n, promotion: OwnedPromotions["promotions"][number]) =>
  promotion.endsAt
    ? i18n.t("promotions.runsRange", { from: i18n.date(promotion.startsAt), to: i18n.date(promotion.endsAt) })
    : i18n.t("promotions.runsOpen", { from: i18n.date(promotion.startsAt) });

/** Points paid against the budget: "1,200 of 5,000", or "1,200 (no budget)". */
const budgetText = (i18n: I18n, used: number, budget: number | null) =>
  budget === null
    ? i18n.t("promotions.noBudget", { used: i18n.number(used) })
    : i18n.t("promotions.budgetOf", { used: i18n.number(used), budget: i18n.number(budget) });

/** A program's promotions, newest first, each linking to its performance. */
function PromotionTable(props: { owned: OwnedPromotions }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { program, promotions } = props.owned;
  const columns = {
    status: t("promotions.col.status"),
    runs: t("promotions.col.runs"),
    budget: t("promotions.col.budget"),
    control: t("promotions.col.control"),
  };
  return (
    <TableWrap label={t("promotions.tableLabel", { program: program.name })}>
      <table class="promotions">
        <thead>
          <tr>
            <th scope="col">{t("promotions.col.name")}</th>
            <th scope="col">{columns.status}</th>
            <th scope="col">{columns.runs}</th>
            <th scope="col" class="num">
              {columns.budget}
            </th>
            <th scope="col" class="num">
              {columns.control}
            </th>
          </tr>
        </thead>
        <tbody>
          {promotions.map((promotion) => (
            <tr data-promotion={promotion.id}>
              <th scope="row">
                <a href={`/portal/promotions/${promotion.id}`}>{promotion.name}</a>
                <span class="promotion-trigger">{enumLabel(i18n, "promotionTrigger", promotion.trigger)}</span>
              </th>
              <td data-label={columns.status} data-column="status">
                {enumLabel(i18n, "promotionStatus", promotion.status)}
              </td>
              <td data-label={columns.runs} data-column="runs">
                {runs(i18n, promotion)}
              </td>
              <td class="num" data-label={columns.budget} data-column="budget">
                {budgetText(i18n, promotion.pointsAwarded, promotion.budgetPoints)}
              </td>
              <td class="num" data-label={columns.control} data-column="control">
                {i18n.percent(promotion.controlGroupBps / 10_000)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Every program the partner owns, with its promotions (or how to create one). */
export function PromotionsPage(props: { programs: OwnedPromotions[] }) {
  const { t } = useI18n();
  return (
    <Layout title={t("promotions.title")} path="/portal/promotions">
      <PromotionsNav current="/portal/promotions" />
      {props.programs.length === 0 ? (
        <p>{t("promotions.noPrograms")}</p>
      ) : (
        <>
          <p class="performance-intro">{t("promotions.intro")}</p>
          {props.programs.map((owned) => (
            <section
              aria-labelledby={`program-${owned.program.id}`}
              class="program-promotions"
              data-program={owned.program.id}
            >
              <h2 id={`program-${owned.program.id}`}>{owned.program.name}</h2>
              {owned.promotions.length === 0 ? (
                <Empty
                  class="performance-empty"
                  kind="promotions"
                  say={t("promotions.empty", { program: owned.program.name })}
                  how={t("promotions.emptyHow")}
                  request={`POST /v1/programs/${owned.program.id}/promotions`}
                />
              ) : (
                <PromotionTable owned={owned} />
              )}
              {owned.more ? <p class="muted">{t("promotions.more", { count: owned.promotions.length })}</p> : null}
            </section>
          ))}
        </>
      )}
    </Layout>
  );
}

/** Treatment against control: members, earns, spend, spend per member, points awarded. */
function Groups(props: { owned: OwnedPromotion }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { performance, program, promotion } = props.owned;
  const money = (minor: number | null) => (minor === null ? "–" : i18n.money(Math.round(minor), program.currency));
  const columns = {
    members: t("promotion.col.members"),
    earns: t("promotion.col.earns"),
    spend: t("promotion.col.spend"),
    perMember: t("promotion.col.perMember"),
    awarded: t("promotion.col.awarded"),
  };
  const rows = [
    { group: "treatment", figures: performance.treatment, awarded: performance.treatment.pointsAwarded },
    { group: "control", figures: performance.control, awarded: 0 },
  ] as const;
  return (
    <TableWrap label={t("promotion.groupsLabel", { name: promotion.name })}>
      <table class="promotion-groups">
        <thead>
          <tr>
            <th scope="col">{t("promotion.col.group")}</th>
            {Object.values(columns).map((label) => (
              <th scope="col" class="num">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ group, figures, awarded }) => (
            <tr data-group={group}>
              <th scope="row">{t(`promotion.group.${group}`)}</th>
              <td class="num" data-label={columns.members} data-column="members">
                {i18n.number(figures.members)}
              </td>
              <td class="num" data-label={columns.earns} data-column="earns">
                {i18n.number(figures.earns)}
              </td>
              <td class="num" data-label={columns.spend} data-column="spend">
                {money(figures.spendMinor)}
              </td>
              <td class="num" data-label={columns.perMember} data-column="per-member">
                {money(performance.spendPerMember[group])}
              </td>
              <td class="num" data-label={columns.awarded} data-column="awarded">
                {i18n.number(awarded)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** One promotion's performance: the figures as cards, the groups as a table, the interval, the awards per day. */
export function PromotionPage(props: { owned: OwnedPromotion }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { performance, program, promotion, daily } = props.owned;
  const interval = performance.upliftCi95;
  return (
    <Layout title={t("promotion.title", { name: promotion.name })} path={`/portal/promotions/${promotion.id}`}>
      <p>
        <a href="/portal/promotions">{t("promotion.back")}</a>
      </p>
      <dl class="cards">
        <div class="card" data-card="program">
          <dt>{t("promotion.program")}</dt>
          <dd class="small">{program.name}</dd>
        </div>
        <div class="card" data-card="status">
          <dt>{t("promotion.status")}</dt>
          <dd class="small">{enumLabel(i18n, "promotionStatus", promotion.status)}</dd>
        </div>
        <div class="card" data-card="uplift">
          <dt>{t("promotion.uplift")}</dt>
          <dd>{upliftText(i18n, performance.upliftPct)}</dd>
        </div>
        <div class="card" data-card="cost">
          <dt>{t("promotion.cost")}</dt>
          <dd>{i18n.money(performance.cost.amountMinor, performance.cost.currency)}</dd>
        </div>
        <div class="card" data-card="roi">
          <dt>{t("promotion.roi")}</dt>
          <dd>{roiText(i18n, performance.roi)}</dd>
        </div>
        <div class="card" data-card="budget">
          <dt>{t("promotion.budget")}</dt>
          <dd class="small">{budgetText(i18n, performance.budget.used, performance.budget.points)}</dd>
        </div>
      </dl>
      <h2>{t("promotion.groupsTitle")}</h2>
      <Groups owned={props.owned} />
      <p data-interval={interval ? "shown" : "none"}>
        {interval
          ? t("promotion.interval", { low: upliftText(i18n, interval[0]), high: upliftText(i18n, interval[1]) })
          : t("promotion.noInterval")}
      </p>
      <p class="muted">{t("promotion.howMeasured")}</p>
      <h2>{t("promotion.chartTitle")}</h2>
      {daily.length === 0 ? (
        <p data-empty="days">{t("promotion.noDays")}</p>
      ) : (
        <DailyChart
          days={daily}
          title={t("promotion.chartTitle")}
          series={[{ key: "awarded", label: "promotion.chartAwarded" }]}
          describe={({ from, to, totals }) => t("promotion.chartDesc", { from, to, awarded: totals.awarded })}
        />
      )}
    </Layout>
  );
}
