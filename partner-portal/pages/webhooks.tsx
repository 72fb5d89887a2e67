import type { WebhookAttempt } from "../../gateway/src/db/queries/webhook-attempts";
import { type EventType, eventTypes } from "../../gateway/src/domain/outbox";
import type { WebhookEndpoint } from "../../gateway/src/webhooks/endpoints";
import { attemptErrorKind, type EndpointHealth, statusLine } from "../../gateway/src/webhooks/health";
import { attemptTimeoutMs } from "../../gateway/src/webhooks/schedule";
import { Alert, Csrf, Layout } from "../components/layout";
import { TableWrap } from "../components/table";
import type { I18n, MessageKey } from "../i18n";
import { useI18n, useSignedIn } from "../render";

/** The event types a partner subscribes to; the test event goes only where it is sent, to no subscriber. */
export const subscribableTypes = eventTypes.filter((type) => type !== "webhook_endpoint.test");

export type CreateForm = { url: string; description: string; eventTypes: EventType[] };
export type UrlProblem = "required" | "tooLong" | "invalid" | "https" | "credentials" | "fragment" | "private";

const urlProblems: Record<UrlProblem, MessageKey> = {
  required: "webhooks.field.urlRequired",
  tooLong: "webhooks.field.urlTooLong",
  invalid: "webhooks.field.urlInvalid",
  https: "webhooks.field.urlHttps",
  credentials: "webhooks.field.urlCredentials",
  fragment: "webhooks.field.urlFragment",
  private: "webhooks.field.urlPrivate",
};

type Attempt = WebhookAttempt & { eventType: string };

const typeLabel = (t: I18n["t"], type: string) =>
  (eventTypes as readonly string[]).includes(type) ? t(`webhooks.type.${type as EventType}`) : type;

/** The one-line badge: healthy, failing N of N since..., or disabled on... (why). */
function HealthBadge(props: { health: EndpointHealth }) {
  const i18n = useI18n();
  const { health } = props;
  const { t } = i18n;
  if (health.state === "healthy") return <span class="badge healthy">{t("webhooks.health.healthy")}</span>;
  if (health.state === "failing")
    return (
      <span class="badge failing">
        {t("webhooks.health.failing", {
          failed: i18n.number(health.failed),
          attempts: i18n.number(health.attempts),
          since: i18n.dateTime(health.since),
        })}
      </span>
    );
  return (
    <span class="badge disabled">
      {t("webhooks.health.disabled", {
        date: i18n.dateTime(health.disabledAt),
        reason: t(`webhooks.reason.${health.reason}`),
      })}
    </span>
  );
}

/** When the next attempt is due: a time, none, or paused while the endpoint is disabled. */
function nextRetry(i18n: I18n, health: EndpointHealth): string {
  if (health.state === "disabled")
    return health.pending > 0 ? i18n.t("webhooks.paused") : i18n.t("webhooks.nothingDue");
  return health.nextRetryAt ? i18n.dateTime(health.nextRetryAt) : i18n.t("webhooks.nothingDue");
}

const lastSuccess = (i18n: I18n, health: EndpointHealth) =>
  health.lastSuccessAt ? i18n.dateTime(health.lastSuccessAt) : i18n.t("webhooks.never");

/** The partner's endpoints with their health, and the form that adds one. */
export function WebhooksPage(props: {
  endpoints: { endpoint: WebhookEndpoint; health: EndpointHealth }[];
  form: CreateForm;
  problems: { url?: UrlProblem; eventTypes?: true; description?: true };
}) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout title={t("webhooks.title")} path="/portal/webhooks">
      <p class="lead">{t("webhooks.intro")}</p>
      {props.endpoints.length === 0 ? <p>{t("webhooks.empty")}</p> : null}
      {props.endpoints.length > 0 ? (
        <TableWrap label={t("webhooks.title")}>
          <table class="webhooks">
            <thead>
              <tr>
                <th scope="col">{t("webhooks.url")}</th>
                <th scope="col">{t("webhooks.health")}</th>
                <th scope="col">{t("webhooks.lastSuccess")}</th>
                <th scope="col">{t("webhooks.nextRetry")}</th>
                <th scope="col">{t("webhooks.events")}</th>
              </tr>
            </thead>
            <tbody>
              {props.endpoints.map(({ endpoint, health }) => (
                <tr>
                  <th scope="row">
                    <a href={`/portal/webhooks/${endpoint.id}`}>{endpoint.url}</a>
                    {endpoint.description ? <span class="muted block">{endpoint.description}</span> : null}
                  </th>
                  <td data-label={t("webhooks.health")}>
                    <HealthBadge health={health} />
                    {health.state === "failing" ? (
                      <span class="muted block">
                        {`${t("webhooks.willDisable")}: ${t("webhooks.disablesOn", { date: i18n.dateTime(health.disablesAt) })}`}
                      </span>
                    ) : null}
                  </td>
                  <td data-label={t("webhooks.lastSuccess")}>{lastSuccess(i18n, health)}</td>
                  <td data-label={t("webhooks.nextRetry")}>{nextRetry(i18n, health)}</td>
                  <td data-label={t("webhooks.events")}>
                    <ul class="types">
                      {(JSON.parse(endpoint.eventTypes) as string[]).map((type) => (
                        <li>
                          <code>{type}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <CreateEndpointForm form={props.form} problems={props.problems} />
    </Layout>
  );
}

/** Adding an endpoint: the API's fields and checks, each problem worded next to its field, the values kept. */
function CreateEndpointForm(props: {
  form: CreateForm;
  problems: { url?: UrlProblem; eventTypes?: true; description?: true };
}) {
  const { t } = useI18n();
  const session = useSignedIn();
  const { form, problems } = props;
  const failed = Boolean(problems.url || problems.eventTypes || problems.description);
  return (
    <section aria-labelledby="create-title">
      <h2 id="create-title">{t("webhooks.create.title")}</h2>
      <form method="post" action="/portal/webhooks" class="stack wide" novalidate>
        <Csrf token={session.csrfToken} />
        {failed ? <Alert kind="error">{t("webhooks.create.failed")}</Alert> : null}
        <label for="webhook-url">{t("webhooks.create.url")}</label>
        <span class="hint" id="webhook-url-hint">
          {t("webhooks.create.urlHint")}
        </span>
        {problems.url ? (
          <span class="field-error" id="webhook-url-error">
            {t(urlProblems[problems.url])}
          </span>
        ) : null}
        <input
          id="webhook-url"
          name="url"
          type="url"
          inputmode="url"
          autocomplete="url"
          placeholder="https://"
          value={form.url}
          aria-invalid={problems.url ? "true" : undefined}
          aria-describedby={problems.url ? "webhook-url-error webhook-url-hint" : "webhook-url-hint"}
        />
        <label for="webhook-description">{t("webhooks.create.description")}</label>
        {problems.description ? (
          <span class="field-error" id="webhook-description-error">
            {t("webhooks.field.descriptionTooLong")}
          </span>
        ) : null}
        <input
          id="webhook-description"
          name="description"
          value={form.description}
          aria-invalid={problems.description ? "true" : undefined}
          aria-describedby={problems.description ? "webhook-description-error" : undefined}
        />
        <fieldset
          class={problems.eventTypes ? "checks invalid" : "checks"}
          aria-describedby={problems.eventTypes ? "webhook-types-error" : undefined}
        >
          <legend>{t("webhooks.create.types")}</legend>
          {problems.eventTypes ? (
            <span class="field-error" id="webhook-types-error">
              {t("webhooks.field.typesRequired")}
            </span>
          ) : null}
          {subscribableTypes.map((type) => (
            <label class="check">
              <input
                type="checkbox"
                name={`type:${type}`}
                checked={form.eventTypes.includes(type)}
                aria-invalid={problems.eventTypes ? "true" : undefined}
              />
              <span>
                {t(`webhooks.type.${type}`)} <code>{type}</code>
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit">{t("webhooks.create.submit")}</button>
      </form>
    </section>
  );
}

export type DeliveriesProps = {
  endpoint: WebhookEndpoint;
  health: EndpointHealth;
  attempts: Attempt[];
  /** The cursor of the next, older page of the log, if there is one. */
  olderAfter?: string;
  failedOnly: boolean;
  /** A secret just made, shown this once. */
  secret?: { kind: "created" | "rotated"; value: string };
  notice?: { key: MessageKey; event?: string };
  /** The test event just sent, with its latest attempt (none yet while it is under way). */
  test?: { eventId: string; attempt?: WebhookAttempt };
};

/** What an attempt's outcome was, and the receiver's answer or the network's error in plain words. */
function describeAttempt(i18n: I18n, attempt: WebhookAttempt): { outcome: string; detail: string } {
  const { t } = i18n;
  if (attempt.responseStatus !== null)
    return {
      outcome: t(attempt.outcome === "succeeded" ? "webhooks.outcome.delivered" : "webhooks.outcome.failed"),
      detail: t("webhooks.answered", { status: statusLine(attempt.responseStatus) }),
    };
  const error = attempt.error ?? "";
  const kind = attemptErrorKind(error);
  return {
    outcome: t("webhooks.outcome.network"),
    detail:
      kind === "other"
        ? t("webhooks.error.other", { detail: error })
        : t(`webhooks.error.${kind}`, { seconds: i18n.number(attemptTimeoutMs / 1000) }),
  };
}

/** One endpoint: its health, what can be done with it, and its delivery log (newest first, or failed only). */
export function DeliveriesPage(props: DeliveriesProps) {
  const { endpoint, health } = props;
  const i18n = useI18n();
  const session = useSignedIn();
  const { t } = i18n;
  const base = `/portal/webhooks/${endpoint.id}`;
  const enabled = endpoint.status === "enabled";
  return (
    // The endpoint's own path, so that the language switch comes back to it.
    <Layout title={t("webhooks.endpoint")} path={base}>
      <p>
        <a href="/portal/webhooks">{t("webhooks.back")}</a>
      </p>
      <p class="endpoint-url">
        <code>{endpoint.url}</code>
        {endpoint.description ? <span class="muted block">{endpoint.description}</span> : null}
      </p>
      {props.secret ? (
        <Alert kind="ok">
          {props.secret.kind === "created"
            ? t("webhooks.secret.created")
            : t("webhooks.secret.rotated", {
                until: endpoint.previousSecretExpiresAt ? i18n.dateTime(endpoint.previousSecretExpiresAt) : "",
              })}
          <span class="block">
            {`${t("webhooks.secret.label")}: `}
            <code data-webhook-secret>{props.secret.value}</code>
          </span>
        </Alert>
      ) : null}
      {props.notice ? <Alert kind="ok">{t(props.notice.key, { event: props.notice.event ?? "" })}</Alert> : null}
      {props.test ? <TestOutcome attempt={props.test.attempt} /> : null}
      <dl class="cards health">
        <div class="card">
          <dt>{t("webhooks.health")}</dt>
          <dd>
            <HealthBadge health={health} />
          </dd>
        </div>
        <div class="card">
          <dt>{t("webhooks.status")}</dt>
          <dd>{t(enabled ? "webhooks.state.enabled" : "webhooks.state.disabled")}</dd>
        </div>
        <div class="card">
          <dt>{t("webhooks.lastSuccess")}</dt>
          <dd>{lastSuccess(i18n, health)}</dd>
        </div>
        <div class="card">
          <dt>{t("webhooks.nextRetry")}</dt>
          <dd>{nextRetry(i18n, health)}</dd>
        </div>
        {health.state === "failing" ? (
          <div class="card">
            <dt>{t("webhooks.willDisable")}</dt>
            <dd>{t("webhooks.disablesOn", { date: i18n.dateTime(health.disablesAt) })}</dd>
          </div>
        ) : null}
        <div class="card">
          <dt>{t("webhooks.waiting")}</dt>
          <dd>{i18n.number(health.pending)}</dd>
        </div>
      </dl>
      <div class="actions">
        {enabled ? (
          <form method="post" action={`${base}/test`} class="inline">
            <Csrf token={session.csrfToken} />
            <button type="submit" aria-describedby="test-help">
              {t("webhooks.test.button")}
            </button>
          </form>
        ) : null}
        <form method="post" action={`${base}/status`} class="inline">
          <Csrf token={session.csrfToken} />
          <input type="hidden" name="status" value={enabled ? "disabled" : "enabled"} />
          <button type="submit" class="secondary">
            {t(enabled ? "webhooks.disable" : "webhooks.enable")}
          </button>
        </form>
      </div>
      <p class="muted" id="test-help">
        {t(enabled ? "webhooks.test.help" : "webhooks.test.disabled")}
      </p>
      <details class="rotate">
        <summary>{t("webhooks.rotate")}</summary>
        <p>{t("webhooks.rotate.help")}</p>
        <form method="post" action={`${base}/rotate`}>
          <Csrf token={session.csrfToken} />
          <button type="submit" class="secondary">
            {t("webhooks.rotate.confirm")}
          </button>
        </form>
      </details>
      <h2 id="log-title">{t("webhooks.log.title")}</h2>
      <nav class="filter" aria-label={t("webhooks.log.filter")}>
        <a href={base} aria-current={props.failedOnly ? undefined : "page"}>
          {t("webhooks.log.all")}
        </a>
        <a href={`${base}?outcome=failed`} aria-current={props.failedOnly ? "page" : undefined}>
          {t("webhooks.log.failedOnly")}
        </a>
      </nav>
      {props.attempts.length === 0 ? (
        <p>{t(props.failedOnly ? "webhooks.log.emptyFailed" : "webhooks.log.empty")}</p>
      ) : (
        <TableWrap label={t("webhooks.log.title")}>
          <table class="deliveries">
            <thead>
              <tr>
                <th scope="col">{t("webhooks.time")}</th>
                <th scope="col">{t("webhooks.event")}</th>
                <th scope="col">{t("webhooks.col.outcome")}</th>
                <th scope="col">{t("webhooks.col.detail")}</th>
                <th scope="col" class="num">
                  {t("webhooks.attempt")}
                </th>
                <th scope="col" class="num">
                  {t("webhooks.duration")}
                </th>
                <th scope="col">{t("webhooks.col.action")}</th>
              </tr>
            </thead>
            <tbody>
              {props.attempts.map((attempt) => {
                const { outcome, detail } = describeAttempt(i18n, attempt);
                return (
                  <tr class={attempt.outcome}>
                    <td data-label={t("webhooks.time")}>{i18n.dateTime(attempt.attemptedAt)}</td>
                    <td data-label={t("webhooks.event")}>
                      {typeLabel(t, attempt.eventType)}
                      <code class="block">{attempt.eventType}</code>
                      <code class="block muted">{attempt.eventId}</code>
                    </td>
                    <td data-label={t("webhooks.col.outcome")}>
                      <span class={`outcome ${attempt.outcome}`}>{outcome}</span>
                    </td>
                    <td data-label={t("webhooks.col.detail")}>{detail}</td>
                    <td data-label={t("webhooks.attempt")} class="num">
                      {i18n.number(attempt.attempt)}
                    </td>
                    <td data-label={t("webhooks.duration")} class="num">
                      {`${i18n.number(attempt.durationMs)} ms`}
                    </td>
                    <td data-label={t("webhooks.col.action")}>
                      <form method="post" action={`${base}/events/${attempt.eventId}/resend`} class="inline">
                        <Csrf token={session.csrfToken} />
                        <button
                          type="submit"
                          class="secondary"
                          aria-label={t("webhooks.resendEvent", { event: attempt.eventId })}
                        >
                          {t("webhooks.resend")}
                        </button>
                      </form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      {props.olderAfter ? (
        <p>
          <a
            href={`${base}?${new URLSearchParams({ ...(props.failedOnly ? { outcome: "failed" } : {}), after: props.olderAfter })}`}
          >
            {t("webhooks.log.older")}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

/** How the test event went: delivered, failed (with why), or not answered yet. */
function TestOutcome(props: { attempt?: WebhookAttempt }) {
  const i18n = useI18n();
  const { attempt } = props;
  if (!attempt) return <Alert kind="ok">{i18n.t("webhooks.test.pending")}</Alert>;
  if (attempt.outcome === "succeeded")
    return (
      <Alert kind="ok">
        {i18n.t("webhooks.test.delivered", {
          status: statusLine(attempt.responseStatus ?? 0),
          ms: i18n.number(attempt.durationMs),
        })}
      </Alert>
    );
  return (
    <Alert kind="error">{i18n.t("webhooks.test.failed", { detail: describeAttempt(i18n, attempt).detail })}</Alert>
  );
}
