import { Layout } from "../components/layout";
import type { MessageKey } from "../i18n";
import { useI18n } from "../render";

type Endpoint = { id: string; url: string; status: string; disabledReason: string | null; eventTypes: string };
type Attempt = {
  id: string;
  eventId: string;
  attempt: number;
  outcome: string;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
};

const disabledNotice = (reason: string | null): MessageKey | null =>
  reason === "gone" || reason === "failing" || reason === "manual" ? `webhooks.disabled.${reason}` : null;

/** The partner's endpoints, with why any is disabled (the 410 and 5-day notices land here too). */
export function WebhooksPage(props: { endpoints: Endpoint[] }) {
  const { t } = useI18n();
  return (
    <Layout title={t("webhooks.title")} path="/portal/webhooks">
      {props.endpoints.length === 0 ? <p>{t("webhooks.none")}</p> : null}
      {props.endpoints.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("webhooks.url")}</th>
                <th scope="col">{t("webhooks.status")}</th>
                <th scope="col">{t("webhooks.events")}</th>
              </tr>
            </thead>
            <tbody>
              {props.endpoints.map((endpoint) => {
                const notice = disabledNotice(endpoint.disabledReason);
                return (
                  <tr>
                    <td>
                      <a href={`/portal/webhooks/${endpoint.id}`}>{endpoint.url}</a>
                    </td>
                    <td>
                      {endpoint.status}
                      {notice ? <p class="alert error">{t(notice)}</p> : null}
                    </td>
                    <td>{(JSON.parse(endpoint.eventTypes) as string[]).join(", ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </Layout>
  );
}

/** One endpoint's delivery log, newest first. */
export function DeliveriesPage(props: { endpoint: Endpoint; attempts: Attempt[] }) {
  const { endpoint } = props;
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout title={t("webhooks.deliveries")} path="/portal/webhooks">
      <p>
        <code>{endpoint.url}</code> · {endpoint.status}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("webhooks.time")}</th>
              <th scope="col">{t("webhooks.event")}</th>
              <th scope="col" class="num">
                {t("webhooks.attempt")}
              </th>
              <th scope="col">{t("webhooks.response")}</th>
              <th scope="col" class="num">
                {t("webhooks.duration")}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.attempts.map((attempt) => (
              <tr>
                <td>{i18n.dateTime(attempt.attemptedAt)}</td>
                <td>
                  <code>{attempt.eventId}</code>
                </td>
                <td class="num">{attempt.attempt}</td>
                <td>
                  {attempt.outcome} {attempt.responseStatus ?? ""} {attempt.error ?? ""}
                </td>
                <td class="num">{`${i18n.number(attempt.durationMs)} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
