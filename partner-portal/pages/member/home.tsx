import type { Balance } from "../../../gateway/src/domain/members";
import type { MemberTierView } from "../../../gateway/src/domain/tiers/member-tier";
import type { Tier } from "../../../gateway/src/domain/tiers/qualify";
import { Alert } from "../../components/layout";
import { MemberTier } from "../../components/member-tier";
import { useI18n } from "../../render";
import { type MemberDestination, MemberDestinations, type MemberForm } from "./convert";
import { ProgressBar } from "./progress";
import { MemberShell, type MemberShellProps, memberHref, pointsOf, zonedDate } from "./shell";

/**
 * The member's home page: the balance (in the shell), the points that will expire and when, the tier with a bar
 * for each way to reach the next one, and the conversion forms (conversions start here).
 */

/** The member's tier and progress, with the program's tiers (which name the next one) and its currency (spend's). */
export type MemberTierProps = { view: MemberTierView; tiers: Tier[]; currency: string };

/** The points that will expire, soonest first, each lot's date in the member's time zone. */
function Expiring(props: { expiring: Balance["expiring"]; program: string; timezone: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section class="member-section" aria-labelledby="member-expiring">
      <h2 id="member-expiring">{t("member.expiringTitle")}</h2>
      {props.expiring.length === 0 ? (
        <p data-expiring="none">{t("member.expiringNone")}</p>
      ) : (
        <dl class="member-expiring">
          {props.expiring.map((lot) => (
            <div data-expiring={lot.expires_at}>
              <dt>{zonedDate(i18n, props.timezone, new Date(lot.expires_at))}</dt>
              <dd>{pointsOf(i18n, lot.points, props.program)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** A bar for each minimum of the next tier: how much of it the member's activity in the window already meets. */
function TierProgress(props: { tier: MemberTierProps }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { progress } = props.tier.view;
  const next = progress && props.tier.tiers.find((tier) => tier.key === progress.nextTierKey);
  if (!progress || !next) return null;
  const money = (minor: number) => i18n.money(minor, props.tier.currency);
  const bars = [
    ["points", "member.progress.points", next.minPoints, progress.pointsNeeded, i18n.number],
    ["purchases", "member.progress.purchases", next.minPurchases, progress.purchasesNeeded, i18n.number],
    ["spend", "member.progress.spend", next.minSpendMinor, progress.spendMinorNeeded, money],
  ] as const;
  return (
    <section class="member-section member-tier-progress" aria-labelledby="member-tier-progress">
      <h3 id="member-tier-progress">{t("member.tierProgress", { tier: next.name })}</h3>
      {bars.map(([name, label, target, needed, format]) =>
        target === null || needed === null ? null : (
          <ProgressBar
            id={`tier-progress-${name}`}
            name={`tier-${name}`}
            text={t(label, { done: format(target - needed), target: format(target) })}
            value={target - needed}
            max={target}
          />
        ),
      )}
    </section>
  );
}

/** The home page, with one destination's form as typed (and its errors) when given. */
export function MemberHomePage(
  props: MemberShellProps & {
    csrf: string;
    expiring: Balance["expiring"];
    destinations: MemberDestination[];
    tier?: MemberTierProps;
    form?: MemberForm;
    alert?: { kind: "ok" | "error"; text: string };
  },
) {
  const i18n = useI18n();
  const { t } = i18n;
  const { tier } = props;
  return (
    <MemberShell {...props} title={t("member.title")} path={memberHref(props.token)}>
      {props.alert ? <Alert kind={props.alert.kind}>{props.alert.text}</Alert> : null}
      <Expiring expiring={props.expiring} program={props.program} timezone={props.timezone} />
      {tier ? (
        <>
          <MemberTier
            tier={tier.view}
            tiers={tier.tiers}
            currency={tier.currency}
            date={(at) => zonedDate(i18n, props.timezone, at)}
            heading={t("tier.yours")}
          />
          <TierProgress tier={tier} />
        </>
      ) : null}
      <MemberDestinations {...props} />
    </MemberShell>
  );
}
