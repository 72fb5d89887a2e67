import type { OwnedCampaigns } from "../../gateway/src/domain/promotions/owned-performance";
import { Empty } from "../components/empty";
import { Layout } from "../components/layout";
import { responseText, roiText } from "../components/performance-format";
import { PromotionsNav } from "../components/promotions-nav";
import { TableWrap } from "../components/table";
import { enumLabel } from "../problems";
import { useI18n } from "../render";

/**
 * The Campaigns page, for the users of a partner that owns programs: per owned program its newest campaigns with
 * their promotions (each linking to its performance, with the points it awarded), the members they target and
 * how many responded against the response expected, the cost of their points and the return on it.
 */

type CampaignLine = OwnedCampaigns["campaigns"][number];

/** A campaign's promotions as links with their points, or "None". */
function CampaignPromotions(props: { line: CampaignLine }) {
  const i18n = useI18n();
  const { promotions } = props.line.performance;
  if (promotions.length === 0) return <span class="muted">{i18n.t("campaigns.noPromotions")}</span>;
  return (
    <ul class="campaign-promotions">
      {promotions.map((promotion) => (
        <li data-promotion={promotion.id}>
          <a href={`/portal/promotions/${promotion.id}`}>{promotion.name}</a> ({i18n.number(promotion.pointsAwarded)})
        </li>
      ))}
    </ul>
  );
}

/** A program's campaigns, newest first. */
function CampaignTable(props: { owned: OwnedCampaigns }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { program, campaigns } = props.owned;
  const columns = {
    status: t("campaigns.col.status"),
    promotions: t("campaigns.col.promotions"),
    targeted: t("campaigns.col.targeted"),
    responders: t("campaigns.col.responders"),
    response: t("campaigns.col.response"),
    cost: t("campaigns.col.cost"),
    roi: t("campaigns.col.roi"),
  };
  const started = (line: CampaignLine) => (line.campaign.actualStart ?? line.campaign.plannedStart) !== null;
  return (
    <TableWrap label={t("campaigns.tableLabel", { program: program.name })}>
      <table class="campaigns">
        <thead>
          <tr>
            <th scope="col">{t("campaigns.col.name")}</th>
            <th scope="col">{columns.status}</th>
            <th scope="col">{columns.promotions}</th>
            <th scope="col" class="num">
              {columns.targeted}
            </th>
            <th scope="col" class="num">
              {columns.responders}
            </th>
            <th scope="col" class="num">
              {columns.response}
            </th>
            <th scope="col" class="num">
              {columns.cost}
            </th>
            <th scope="col" class="num">
              {columns.roi}
            </th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((line) => (
            <tr data-campaign={line.campaign.id}>
              <th scope="row">{line.campaign.name}</th>
              <td data-label={columns.status} data-column="status">
                {enumLabel(i18n, "campaignStatus", line.campaign.status)}
              </td>
              <td data-label={columns.promotions} data-column="promotions">
                <CampaignPromotions line={line} />
              </td>
              <td class="num" data-label={columns.targeted} data-column="targeted">
                {i18n.number(line.performance.targetedMembers)}
              </td>
              <td class="num" data-label={columns.responders} data-column="responders">
                {started(line) ? i18n.number(line.performance.responders) : t("campaigns.notStarted")}
              </td>
              <td class="num" data-label={columns.response} data-column="response">
                {`${responseText(i18n, line.performance.responsePct)} / ${responseText(i18n, line.performance.expectedResponsePct)}`}
              </td>
              <td class="num" data-label={columns.cost} data-column="cost">
                {i18n.money(line.performance.cost.amountMinor, line.performance.cost.currency)}
              </td>
              <td class="num" data-label={columns.roi} data-column="roi">
                {roiText(i18n, line.performance.roi)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Every program the partner owns, with its campaigns (or how to create one). */
export function CampaignsPage(props: { programs: OwnedCampaigns[] }) {
  const { t } = useI18n();
  return (
    <Layout title={t("campaigns.title")} path="/portal/promotions/campaigns">
      <PromotionsNav current="/portal/promotions/campaigns" />
      {props.programs.length === 0 ? (
        <p>{t("campaigns.noPrograms")}</p>
      ) : (
        <>
          <p class="performance-intro">{t("campaigns.intro")}</p>
          {props.programs.map((owned) => (
            <section
              aria-labelledby={`program-${owned.program.id}`}
              class="program-campaigns"
              data-program={owned.program.id}
            >
              <h2 id={`program-${owned.program.id}`}>{owned.program.name}</h2>
              {owned.campaigns.length === 0 ? (
                <Empty
                  class="performance-empty"
                  kind="campaigns"
                  say={t("campaigns.empty", { program: owned.program.name })}
                  how={t("campaigns.emptyHow")}
                  request={`POST /v1/programs/${owned.program.id}/campaigns`}
                />
              ) : (
                <>
                  <CampaignTable owned={owned} />
                  <p class="muted">{t("campaigns.howMeasured")}</p>
                </>
              )}
              {owned.more ? <p class="muted">{t("promotions.more", { count: owned.campaigns.length })}</p> : null}
            </section>
          ))}
        </>
      )}
    </Layout>
  );
}
