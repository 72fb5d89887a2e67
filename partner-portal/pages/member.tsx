import type { Destination } from "../../gateway/src/domain/conversions/destinations";
import { Alert, Csrf, Layout } from "../components/layout";
import { useI18n } from "../render";

/** What the page shows of a quote (its API shape). */
export type MemberQuote = {
  id: string;
  to_program_id: string;
  from_points: number;
  fee_points: number;
  to_points: number;
  expires_at: string;
};

/**
 * The hosted conversion page a member opens on a phone: balance, where the points can go, a quote, and the
 * confirmation. Plain forms, large targets, a label on every input; works without script.
 */
export function MemberPage(props: {
  token: string;
  csrf: string;
  programName: string;
  externalId: string;
  available: number;
  pending: number;
  destinations: Destination[];
  quote?: MemberQuote & { destination: string };
  result?: { kind: "ok" | "error"; text: string };
}) {
  const { token } = props;
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout title={t("member.title")} path={`/portal/member/${token}`} anonymous>
      <p>
        {props.programName} · <code>{props.externalId}</code>
      </p>
      <dl class="cards">
        <div class="card">
          <dt>{t("member.balance")}</dt>
          <dd data-balance="available">{i18n.number(props.available)}</dd>
        </div>
        <div class="card">
          <dt>{t("member.pending")}</dt>
          <dd data-balance="pending">{i18n.number(props.pending)}</dd>
        </div>
      </dl>
      {props.result ? <Alert kind={props.result.kind}>{props.result.text}</Alert> : null}
      {props.quote ? (
        <form method="post" action={`/portal/member/${token}/confirm`} class="stack">
          <Csrf token={props.csrf} />
          <input type="hidden" name="quote_id" value={props.quote.id} />
          <dl>
            <dt>{t("member.youGive")}</dt>
            <dd data-quote="from">{i18n.number(props.quote.from_points)}</dd>
            <dt>{t("member.fee")}</dt>
            <dd data-quote="fee">{i18n.number(props.quote.fee_points)}</dd>
            <dt>{t("member.youGet")}</dt>
            <dd data-quote="to">
              {i18n.number(props.quote.to_points)} · {props.quote.destination}
            </dd>
          </dl>
          <p class="muted">{t("member.expires", { time: i18n.dateTime(props.quote.expires_at) })}</p>
          <button type="submit">{t("member.confirm")}</button>
        </form>
      ) : props.destinations.length === 0 ? (
        <p>{t("member.noRates")}</p>
      ) : (
        <form method="post" action={`/portal/member/${token}/quote`} class="stack">
          <Csrf token={props.csrf} />
          <label>
            {t("member.to")}
            <select name="to_program_id" required>
              {props.destinations.map((d) => (
                <option
                  value={d.programId}
                >{`${d.name} (${i18n.number(d.fromPoints)} → ${i18n.number(d.toPoints)})`}</option>
              ))}
            </select>
          </label>
          <label>
            {t("member.destinationId")}
            <input name="to_external_id" required maxlength={128} autocomplete="off" />
          </label>
          <label>
            {t("member.points")}
            <input
              name="from_points"
              type="number"
              inputmode="numeric"
              min={props.destinations[0]?.minPoints ?? 1}
              step={props.destinations[0]?.increment ?? 1}
              required
            />
          </label>
          <button type="submit">{t("member.quote")}</button>
        </form>
      )}
    </Layout>
  );
}
