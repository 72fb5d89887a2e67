import type { MemberTierView } from "../../gateway/src/domain/tiers/member-tier";
import type { TierTableView } from "../../gateway/src/domain/tiers/table";
import { ErrorSummary, Field } from "../components/field";
import { Layout } from "../components/layout";
import { MemberTier } from "../components/member-tier";
import { TableWrap } from "../components/table";
import type { I18n } from "../i18n";
import type { FormProblem } from "../problems";
import { useI18n } from "../render";

/**
 * The Tiers pages, for the users of a partner that owns programs: each owned program's tier table with its
 * members per tier (or how to set tiers), and one member's tier and progress, looked up by number.
 */

/** An accrual bonus in basis points as a percentage: 1250 is 12.5 % (to the hundredth, as bps allow). */
const bonusPercent = (i18n: I18n, bps: number) =>
  new Intl.NumberFormat(i18n.locale, { style: "percent", maximumFractionDigits: 2 }).format(bps / 10_000);

/** A number of days in words: "365 days", "365 dias", "365 дней". */
const days = (i18n: I18n, count: number) =>
  new Intl.NumberFormat(i18n.locale, { style: "unit", unit: "day", unitDisplay: "long" }).format(count);

/** The lookup of a member's tier in one program: a GET form, so a member's tier has a URL. */
function Lookup(props: { programId: string; typed?: string; problems?: FormProblem[] }) {
  const { t } = useI18n();
  const idPrefix = `lookup-${props.programId}`;
  return (
    <form method="get" action={`/portal/tiers/${props.programId}/member`} class="stack tier-lookup" novalidate>
      <Field
        name="external_id"
        label={t("tiers.lookupLabel")}
        idPrefix={idPrefix}
        value={props.typed ?? ""}
        required
        maxlength={128}
        autocomplete="off"
        problems={props.problems}
      />
      <button type="submit">{t("tiers.lookupSubmit")}</button>
    </form>
  );
}

/** Where no tiers are: saying so, and how the owner sets them. */
function NoTiers(props: { table: TierTableView }) {
  const { t } = useI18n();
  const { program } = props.table;
  const [before, after] = t("tiers.emptyHow").split("{request}");
  return (
    <div class="tiers-empty" data-empty={program.id}>
      <p>{t("tiers.empty", { program: program.name })}</p>
      <p>
        {before}
        <code>PUT /v1/programs/{program.id}/tiers</code>
        {after}
      </p>
    </div>
  );
}

/** A minimum, or "none" (every minimum of the entry tier, the ones a tier does not use). */
const minimum = (i18n: I18n, value: number | null, format: (value: number) => string) =>
  value === null ? <span class="muted">{i18n.t("tiers.noMinimum")}</span> : format(value);

/** One program's tier table with its members per tier and the total, and the member lookup. */
function ProgramTiers(props: { table: TierTableView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { program, tiers } = props.table;
  const headingId = `program-${program.id}`;
  const members = tiers.reduce((sum, tier) => sum + tier.memberCount, 0);
  const money = (minor: number) => i18n.money(minor, program.settlementCurrency);
  const columns = {
    key: t("tiers.col.key"),
    minPoints: t("tiers.col.minPoints"),
    minPurchases: t("tiers.col.minPurchases"),
    minSpend: t("tiers.col.minSpend"),
    earnBonus: t("tiers.col.earnBonus"),
    upgradeBonus: t("tiers.col.upgradeBonus"),
    members: t("tiers.col.members"),
  };
  return (
    <section aria-labelledby={headingId} class="program-tiers" data-program={program.id}>
      <h2 id={headingId}>{program.name}</h2>
      {tiers.length === 0 || props.table.windowDays === null ? (
        <NoTiers table={props.table} />
      ) : (
        <>
          <dl class="cards">
            <div class="card" data-card="window">
              <dt>{t("tiers.window")}</dt>
              <dd>{days(i18n, props.table.windowDays)}</dd>
            </div>
            <div class="card" data-card="members">
              <dt>{t("tiers.members")}</dt>
              <dd>{i18n.number(members)}</dd>
            </div>
          </dl>
          <TableWrap label={t("tiers.tableLabel", { program: program.name })}>
            <table class="tiers">
              <thead>
                <tr>
                  <th scope="col">{t("tiers.col.tier")}</th>
                  <th scope="col">{columns.key}</th>
                  <th scope="col" class="num">
                    {columns.minPoints}
                  </th>
                  <th scope="col" class="num">
                    {columns.minPurchases}
                  </th>
                  <th scope="col" class="num">
                    {columns.minSpend}
                  </th>
                  <th scope="col" class="num">
                    {columns.earnBonus}
                  </th>
                  <th scope="col" class="num">
                    {columns.upgradeBonus}
                  </th>
                  <th scope="col" class="num">
                    {columns.members}
                  </th>
                </tr>
              </thead>
              <tbody>
                {tiers.map((tier) => (
                  <tr data-tier={tier.key}>
                    <th scope="row">{tier.name}</th>
                    <td data-label={columns.key}>
                      <code>{tier.key}</code>
                    </td>
                    <td class="num" data-label={columns.minPoints} data-column="min-points">
                      {minimum(i18n, tier.minPoints, i18n.number)}
                    </td>
                    <td class="num" data-label={columns.minPurchases} data-column="min-purchases">
                      {minimum(i18n, tier.minPurchases, i18n.number)}
                    </td>
                    <td class="num" data-label={columns.minSpend} data-column="min-spend">
                      {minimum(i18n, tier.minSpendMinor, money)}
                    </td>
                    <td class="num" data-label={columns.earnBonus} data-column="earn-bonus">
                      {bonusPercent(i18n, tier.earnBonusBps)}
                    </td>
                    <td class="num" data-label={columns.upgradeBonus} data-column="upgrade-bonus">
                      {i18n.number(tier.upgradeBonusPoints)}
                    </td>
                    <td class="num" data-label={columns.members} data-column="members">
                      {i18n.number(tier.memberCount)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colspan={7}>
                    {t("tiers.total")}
                  </th>
                  <td class="num" data-label={columns.members} data-column="members">
                    {i18n.number(members)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </TableWrap>
          {props.table.updatedAt ? (
            <p class="muted">{t("tiers.updated", { date: i18n.dateTime(props.table.updatedAt) })}</p>
          ) : null}
          <h3>{t("tiers.lookupTitle")}</h3>
          <Lookup programId={program.id} />
        </>
      )}
    </section>
  );
}

/** Every program the partner owns, with its tiers. */
export function TiersPage(props: { tables: TierTableView[] }) {
  const { t } = useI18n();
  return (
    <Layout title={t("tiers.title")} path="/portal/tiers">
      {props.tables.length === 0 ? (
        <p>{t("tiers.noPrograms")}</p>
      ) : (
        <>
          <p class="tiers-intro">{t("tiers.intro")}</p>
          {props.tables.map((table) => (
            <ProgramTiers table={table} />
          ))}
        </>
      )}
    </Layout>
  );
}

/**
 * One member's tier and progress in an owned program, with the lookup for another; or the lookup with its
 * problem (no number typed, no such member).
 */
export function MemberTierPage(props: {
  table: TierTableView;
  externalId: string;
  tier: MemberTierView | null;
  problems?: FormProblem[];
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { program, tiers } = props.table;
  const found = !props.problems?.length;
  const title = found
    ? t("tiers.memberTitle", { id: props.externalId, program: program.name })
    : t("tiers.tableLabel", { program: program.name });
  let body = <p>{t("tiers.memberNoTier")}</p>;
  if (tiers.length === 0) body = <p>{t("tiers.noTiers", { program: program.name })}</p>;
  else if (props.tier)
    body = (
      <MemberTier
        tier={props.tier}
        tiers={tiers}
        currency={program.settlementCurrency}
        date={i18n.date}
        heading={t("tiers.memberHeading")}
      />
    );
  return (
    <Layout title={title} path="/portal/tiers">
      <ErrorSummary problems={props.problems} idPrefix={`lookup-${program.id}`} />
      {found ? body : null}
      {tiers.length > 0 ? (
        <section aria-labelledby="lookup" class="tier-lookup-section">
          <h2 id="lookup">{t("tiers.lookupTitle")}</h2>
          <Lookup programId={program.id} typed={found ? "" : props.externalId} problems={props.problems} />
        </section>
      ) : null}
      <p>
        <a href="/portal/tiers">{t("tiers.back")}</a>
      </p>
    </Layout>
  );
}
