import { Alert, Csrf, Layout } from "../components/layout";
import { useI18n, useSignedIn } from "../render";

type Partner = { id: string; name: string; status: string };
type Review = {
  id: string;
  kind: string;
  rule: string;
  reason: string;
  points: number;
  partnerId: string;
  createdAt: Date;
};

/** The operator's view: partners, the review queue, and closing a settlement period. */
export function OperatorPage(props: {
  partners: Partner[];
  reviews: Review[];
  notice?: { kind: "ok" | "error"; text: string };
}) {
  const i18n = useI18n();
  const session = useSignedIn();
  const { t } = i18n;
  return (
    <Layout title={t("operator.title")} path="/portal/operator">
      {props.notice ? <Alert kind={props.notice.kind}>{props.notice.text}</Alert> : null}
      <h2>{t("operator.reviews")}</h2>
      {props.reviews.length === 0 ? <p>{t("operator.noReviews")}</p> : null}
      {props.reviews.map((review) => (
        <section class="card" aria-label={review.id}>
          <p>
            <code>{review.id}</code> · {review.kind} · {i18n.number(review.points)} · {review.rule}
          </p>
          <p class="muted">
            {review.reason} · {i18n.dateTime(review.createdAt)}
          </p>
          {(["approve", "reject"] as const).map((decision) => (
            <form method="post" action={`/portal/operator/reviews/${review.id}/${decision}`} class="actions">
              <Csrf token={session.csrfToken} />
              <label>
                {t("operator.reason")}
                <input name="reason" maxlength={500} />
              </label>
              <button type="submit" class={decision === "reject" ? "secondary" : undefined}>
                {t(`operator.${decision}`)}
              </button>
            </form>
          ))}
        </section>
      ))}
      <h2>{t("operator.closePeriod")}</h2>
      <form method="post" action="/portal/operator/periods" class="stack">
        <Csrf token={session.csrfToken} />
        <label>
          {t("operator.start")} (UTC)
          <input name="start" type="datetime-local" required />
        </label>
        <label>
          {t("operator.end")} (UTC)
          <input name="end" type="datetime-local" required />
        </label>
        <button type="submit">{t("operator.close")}</button>
      </form>
      <h2>{t("operator.partners")}</h2>
      <div class="table-wrap">
        <table>
          <tbody>
            {props.partners.map((partner) => (
              <tr>
                <td>{partner.name}</td>
                <td>
                  <code>{partner.id}</code>
                </td>
                <td>{partner.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
