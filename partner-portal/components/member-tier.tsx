import type { MemberTierView } from "../../gateway/src/domain/tiers/member-tier";
import type { Tier } from "../../gateway/src/domain/tiers/qualify";
import { useI18n } from "../render";

/**
 * A member's tier as the owner's Tiers page and the member's own page show it: the tier, since when, until when
 * it is held (the entry tier is not held), and what each minimum of the next tier still needs, any one of which
 * is enough; at the top tier, that it is the highest. Dates through `date`, so each page says them in its time
 * zone; spend in the program's currency, which purchases are made in.
 */
export function MemberTier(props: {
  tier: MemberTierView;
  tiers: Pick<Tier, "key" | "name">[];
  currency: string;
  date: (at: Date) => string;
  heading: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { tier } = props;
  const progress = tier.progress;
  const next = progress && props.tiers.find((candidate) => candidate.key === progress.nextTierKey);
  const needs = progress
    ? ([
        ["points", "tier.needPoints", progress.pointsNeeded, i18n.number],
        ["purchases", "tier.needPurchases", progress.purchasesNeeded, i18n.number],
        ["spend", "tier.needSpend", progress.spendMinorNeeded, (minor: number) => i18n.money(minor, props.currency)],
      ] as const)
    : [];
  return (
    <section class="member-tier" aria-labelledby="member-tier" data-tier={tier.key}>
      <h2 id="member-tier">{props.heading}</h2>
      <dl class="cards">
        <div class="card">
          <dt>{t("tier.name")}</dt>
          <dd data-tier-field="name">{tier.name}</dd>
        </div>
        <div class="card">
          <dt>{t("tier.since")}</dt>
          <dd data-tier-field="since">{props.date(tier.since)}</dd>
        </div>
        {tier.heldUntil ? (
          <div class="card">
            <dt>{t("tier.heldUntil")}</dt>
            <dd data-tier-field="held-until">{props.date(tier.heldUntil)}</dd>
          </div>
        ) : null}
      </dl>
      {progress ? (
        <>
          <p>{t("tier.toReach", { tier: next?.name ?? progress.nextTierKey })}</p>
          <dl class="tier-needs">
            {needs.map(([name, label, needed, format]) =>
              needed === null ? null : (
                <div data-needed={name}>
                  <dt>{t(label)}</dt>
                  <dd>{format(needed)}</dd>
                </div>
              ),
            )}
          </dl>
        </>
      ) : (
        <p data-needed="top">{t("tier.top", { tier: tier.name })}</p>
      )}
    </section>
  );
}
