import type { Credential } from "../../gateway/src/domain/partners";
import { ErrorSummary, Field, FieldMessage, fieldAttributes } from "../components/field";
import { Alert, Csrf, Layout } from "../components/layout";
import { TableWrap } from "../components/table";
import type { I18n } from "../i18n";
import type { FormProblem } from "../problems";
import { useI18n, useNow, useSignedIn } from "../render";

/** The grace periods a rotation offers for the old key, in seconds, as the API's `grace_period_seconds` takes them. */
export const graceChoices = { now: 0, hour: 3600, day: 86_400 } as const;

/** A key as people call it: its name, or "Unnamed key". */
const keyName = (i18n: I18n, credential: Credential) => credential.name ?? i18n.t("credentials.unnamed");

/** A credential's state at `now`: a rotation's grace period keeps a replaced key working until its revocation time. */
export const credentialState = (credential: Credential, now: Date) =>
  credential.revokedAt === null ? "active" : credential.revokedAt > now ? "replacing" : "revoked";

/** When a key last got a token, as people say it: "3 hours ago", "Never used"; the exact time on hover. */
function LastUsed(props: { at: Date | null }) {
  const i18n = useI18n();
  const now = useNow();
  if (!props.at) return <span class="muted">{i18n.t("credentials.neverUsed")}</span>;
  const seconds = Math.max(0, (now.getTime() - props.at.getTime()) / 1000);
  const relative = new Intl.RelativeTimeFormat(i18n.locale, { numeric: "auto" });
  const said =
    seconds < 60
      ? i18n.t("credentials.usedJustNow")
      : seconds < 3600
        ? relative.format(-Math.floor(seconds / 60), "minute")
        : seconds < 86_400
          ? relative.format(-Math.floor(seconds / 3600), "hour")
          : relative.format(-Math.floor(seconds / 86_400), "day");
  return (
    <time datetime={props.at.toISOString()} title={i18n.dateTime(props.at)}>
      {said}
    </time>
  );
}

function Status(props: { credential: Credential }) {
  const i18n = useI18n();
  const { revokedAt } = props.credential;
  const state = credentialState(props.credential, useNow());
  if (state === "active" || !revokedAt) return <span class="key-state active">{i18n.t("credentials.active")}</span>;
  const time = i18n.dateTime(revokedAt);
  return state === "replacing" ? (
    <span class="key-state replacing">{i18n.t("credentials.replacing", { time })}</span>
  ) : (
    <span class="key-state revoked">{i18n.t("credentials.revokedOn", { time })}</span>
  );
}

/** A form's one-time nonce: the POST it sends makes one key at most, however often it is sent. */
const Nonce = (props: { value: string }) => <input type="hidden" name="_nonce" value={props.value} />;

/**
 * The partner's API keys: named, with their last use and state; a key made by the request before (POST,
 * redirect, GET) shown with its secret, this once; a form to create a named key; and a link to rotate each
 * active key (none for a revoked key or one already being replaced).
 */
export function CredentialsPage(props: {
  credentials: Credential[];
  revealed: { clientId: string; secret: string }[];
  formNonce: string;
  resubmitted?: boolean;
  problems?: FormProblem[];
  typedName?: string;
}) {
  const i18n = useI18n();
  const session = useSignedIn();
  const now = useNow();
  const { t } = i18n;
  const byId = new Map(props.credentials.map((credential) => [credential.clientId, credential]));
  // Keys that work first, newest first; revoked ones after them.
  const order = { active: 0, replacing: 1, revoked: 2 };
  const listed = [...props.credentials].sort(
    (a, b) =>
      order[credentialState(a, now)] - order[credentialState(b, now)] || b.createdAt.getTime() - a.createdAt.getTime(),
  );
  return (
    <Layout title={t("credentials.title")} path="/portal/credentials">
      <ErrorSummary problems={props.problems} />
      {props.revealed.map((shown) => {
        const credential = byId.get(shown.clientId);
        return (
          <section class="reveal" aria-labelledby={`reveal-${shown.clientId}`}>
            <h2 id={`reveal-${shown.clientId}`}>
              {t("credentials.revealTitle", { key: credential ? keyName(i18n, credential) : shown.clientId })}
            </h2>
            <p>{t("credentials.revealOnce")}</p>
            <dl>
              <dt>{t("credentials.clientId")}</dt>
              <dd>
                <code data-client-id>{shown.clientId}</code>
              </dd>
              <dt>{t("credentials.secret")}</dt>
              <dd>
                <code data-client-secret>{shown.secret}</code>
              </dd>
            </dl>
          </section>
        );
      })}
      {props.resubmitted ? <Alert kind="ok">{t("credentials.resubmitted")}</Alert> : null}
      <p class="lead">{t("credentials.intro")}</p>
      <TableWrap label={t("credentials.tableLabel")}>
        <table class="credentials">
          <thead>
            <tr>
              <th scope="col">{t("credentials.name")}</th>
              <th scope="col">{t("credentials.clientId")}</th>
              <th scope="col">{t("credentials.created")}</th>
              <th scope="col">{t("credentials.lastUsed")}</th>
              <th scope="col">{t("credentials.status")}</th>
              <th scope="col">{t("credentials.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((credential) => {
              const state = credentialState(credential, now);
              return (
                <tr data-credential={credential.clientId}>
                  <th scope="row" class={credential.name ? undefined : "muted"}>
                    {keyName(i18n, credential)}
                  </th>
                  <td data-label={t("credentials.clientId")}>
                    <code>{credential.clientId}</code>
                  </td>
                  <td data-label={t("credentials.created")}>{i18n.dateTime(credential.createdAt)}</td>
                  <td data-label={t("credentials.lastUsed")}>
                    <LastUsed at={credential.lastUsedAt} />
                  </td>
                  <td data-label={t("credentials.status")}>
                    <Status credential={credential} />
                  </td>
                  <td data-label={t("credentials.actions")}>
                    {state === "active" ? (
                      <a
                        class="button secondary"
                        href={`/portal/credentials/${encodeURIComponent(credential.clientId)}/rotate`}
                        aria-label={t("credentials.rotateKey", {
                          key: `${keyName(i18n, credential)} (${credential.clientId})`,
                        })}
                      >
                        {t("credentials.rotate")}
                      </a>
                    ) : (
                      <span class="muted">
                        {t(state === "revoked" ? "credentials.noRotateRevoked" : "credentials.noRotateReplacing")}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <h2>{t("credentials.newKey")}</h2>
      <form method="post" action="/portal/credentials" class="stack" novalidate>
        <Csrf token={session.csrfToken} />
        <Nonce value={props.formNonce} />
        <Field
          name="name"
          label={t("credentials.nameOptional")}
          hint={t("credentials.nameHint")}
          problems={props.problems}
          value={props.typedName ?? ""}
          autocomplete="off"
        />
        <div>
          <button type="submit">{t("credentials.createKey")}</button>
        </div>
      </form>
    </Layout>
  );
}

/**
 * The confirmation before a rotation: which key (its name and client id), when it was made and last used, and
 * when the old key should stop working (now, in an hour, in a day).
 */
export function RotateCredentialPage(props: {
  credential: Credential;
  formNonce: string;
  grace?: string;
  problems?: FormProblem[];
}) {
  const i18n = useI18n();
  const session = useSignedIn();
  const { t } = i18n;
  const { credential } = props;
  const chosen = props.grace ?? String(graceChoices.hour);
  const grace = fieldAttributes("grace_period_seconds", props.problems, "field", true);
  return (
    <Layout title={t("credentials.rotateTitle")} path="/portal/credentials">
      <ErrorSummary problems={props.problems} />
      <dl class="key-summary">
        <dt>{t("credentials.name")}</dt>
        <dd data-key-name>{keyName(i18n, credential)}</dd>
        <dt>{t("credentials.clientId")}</dt>
        <dd>
          <code>{credential.clientId}</code>
        </dd>
        <dt>{t("credentials.created")}</dt>
        <dd>{i18n.dateTime(credential.createdAt)}</dd>
        <dt>{t("credentials.lastUsed")}</dt>
        <dd data-last-used>
          <LastUsed at={credential.lastUsedAt} />
        </dd>
      </dl>
      <p class="lead">{t("credentials.rotateLead")}</p>
      <form
        method="post"
        action={`/portal/credentials/${encodeURIComponent(credential.clientId)}/rotate`}
        class="stack wide"
      >
        <Csrf token={session.csrfToken} />
        <Nonce value={props.formNonce} />
        <fieldset
          id={grace.id}
          class={grace["aria-invalid"] ? "grace invalid" : "grace"}
          aria-describedby={grace["aria-describedby"]}
        >
          <legend>{t("credentials.graceLegend")}</legend>
          <p class="hint" id={`${grace.id}-hint`}>
            {t("credentials.graceHint")}
          </p>
          <FieldMessage name="grace_period_seconds" problems={props.problems} />
          {(Object.entries(graceChoices) as [keyof typeof graceChoices, number][]).map(([label, seconds]) => (
            <label class="choice">
              <input
                type="radio"
                name="grace_period_seconds"
                value={String(seconds)}
                checked={chosen === String(seconds)}
              />
              {t(`credentials.grace.${label}`)}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{t("credentials.rotateConfirm")}</button>
          <a class="button secondary" href="/portal/credentials">
            {t("credentials.cancel")}
          </a>
        </div>
      </form>
    </Layout>
  );
}
