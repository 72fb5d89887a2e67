import { lockoutMs, maxFailedLogins } from "../../gateway/src/domain/sign-in-failures";
import { Alert, Csrf, Layout } from "../components/layout";
import { useI18n } from "../render";

/** Partner managers sign in with email and password; the operator with its client credential. */
export function LoginPage(props: { csrf: string; error?: string; operator?: boolean }) {
  const { t } = useI18n();
  const operator = props.operator ?? false;
  return (
    <Layout
      title={t(operator ? "login.operatorTitle" : "login.title")}
      path={operator ? "/portal/operator/login" : "/portal/login"}
      anonymous
    >
      {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      <form method="post" action={operator ? "/portal/operator/login" : "/portal/login"} class="stack">
        <Csrf token={props.csrf} />
        {operator ? (
          <>
            <label>
              {t("login.clientId")}
              <input name="client_id" autocomplete="username" required />
            </label>
            <label>
              {t("login.clientSecret")}
              <input name="client_secret" type="password" autocomplete="current-password" required />
            </label>
          </>
        ) : (
          <>
            <label>
              {t("login.email")}
              <input name="email" type="email" autocomplete="username" required />
            </label>
            <label>
              {t("login.password")}
              <input name="password" type="password" autocomplete="current-password" required />
            </label>
          </>
        )}
        <button type="submit">{t("login.submit")}</button>
      </form>
      {operator ? null : (
        <p class="muted">{t("login.lockout", { count: maxFailedLogins, minutes: lockoutMs / 60_000 })}</p>
      )}
      <p>
        <a href={operator ? "/portal/login" : "/portal/operator/login"}>
          {t(operator ? "login.partnerLink" : "login.operator")}
        </a>
      </p>
    </Layout>
  );
}

export function SetPasswordPage(props: { csrf: string; token: string; error?: string }) {
  const { t } = useI18n();
  return (
    <Layout title={t("password.title")} path="/portal/set-password" anonymous>
      {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      <form method="post" action="/portal/set-password" class="stack">
        <Csrf token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <label>
          {t("password.new")}
          <input name="password" type="password" autocomplete="new-password" minlength={12} required />
        </label>
        <button type="submit">{t("password.submit")}</button>
      </form>
    </Layout>
  );
}
