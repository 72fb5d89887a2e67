import type { MemberChallenge } from "../../../gateway/src/domain/promotions/member-challenges";
import { useI18n } from "../../render";
import { ProgressBar } from "./progress";
import { MemberShell, type MemberShellProps, memberHref, pointsOf, zonedDate } from "./shell";

/**
 * The member's challenges in force: what each asks (a number of purchases, an amount of spend, or both), how far
 * the member is, with a bar for each, what completing it pays and until when; a completed one says when it was
 * completed and what it paid.
 */

/** One challenge, with a bar per target (spend in the program's currency). */
function ChallengeCard(props: { challenge: MemberChallenge; program: string; currency: string; timezone: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { challenge } = props;
  const id = `challenge-${challenge.promotionId}`;
  const bonus = pointsOf(i18n, challenge.bonusPoints, props.program);
  const money = (minor: number) => i18n.money(minor, props.currency);
  const bars = [
    ["earns", "member.progress.purchases", challenge.target.earns, challenge.progress.earns, i18n.number],
    ["spend", "member.progress.spend", challenge.target.spend_minor, challenge.progress.spendMinor, money],
  ] as const;
  return (
    <section class="member-challenge" aria-labelledby={id} data-challenge={challenge.promotionId}>
      <h2 id={id}>{challenge.name}</h2>
      {bars.map(([name, label, target, done, format]) =>
        target === undefined ? null : (
          <ProgressBar
            id={`${id}-${name}`}
            name={name}
            text={t(label, { done: format(Math.min(done, target)), target: format(target) })}
            value={done}
            max={target}
          />
        ),
      )}
      {challenge.completedAt ? (
        <p data-challenge-status="completed">
          {t("member.challenge.done", { date: zonedDate(i18n, props.timezone, challenge.completedAt), points: bonus })}
        </p>
      ) : (
        <p data-challenge-status="open">
          {t("member.challenge.pays", { points: bonus })}
          {challenge.endsAt
            ? ` ${t("member.challenge.ends", { date: zonedDate(i18n, props.timezone, challenge.endsAt) })}`
            : null}
        </p>
      )}
    </section>
  );
}

export function MemberChallengesPage(props: MemberShellProps & { challenges: MemberChallenge[]; currency: string }) {
  const { t } = useI18n();
  return (
    <MemberShell {...props} title={t("member.challengesTitle")} path={memberHref(props.token, "/challenges")}>
      {props.challenges.length === 0 ? (
        <p data-challenges="none">{t("member.challenges.empty")}</p>
      ) : (
        <div class="member-challenges">
          {props.challenges.map((challenge) => (
            <ChallengeCard
              challenge={challenge}
              program={props.program}
              currency={props.currency}
              timezone={props.timezone}
            />
          ))}
        </div>
      )}
    </MemberShell>
  );
}
