import { lockoutMs, maxFailedLogins } from "../../gateway/src/domain/sign-in-failures";
import { ErrorSummary, Field } from "../components/field";
import { Csrf, Layout } from "../components/layout";
import type { FormProblem } from "../problems";
import { useI18n } from "../render";

/** A refused sign-in form's state: its problems and what was typed (never a password or a secret). */
type Refused = { problems?: FormProblem[]; typed?: { email?: string; client_id?: string } };

/** Partner managers sign in with email and password; the operator with its client credential. */
export function LoginPage(props: { csrf: string; operator?: boolean } & Refused) {
  const { problems, typed } = props;
  const { t } = useI18n();
  const operator = props.operator ?? false;
  return (
    <Layout
      title={t(operator ? "login.operatorTitle" : "login.title")}
      path={operator ? "/portal/operator/login" : "/portal/login"}
      anonymous
    >
      <ErrorSummary problems={problems} />
      <form method="post" action={operator ? "/portal/operator/login" : "/portal/login"} class="stack" novalidate>
        <Csrf token={props.csrf} />
        <Field
          name={operator ? "client_id" : "email"}
          label={t(operator ? "login.clientId" : "login.email")}
          type={operator ? "text" : "email"}
          autocomplete="username"
          spellcheck={false}
          value={operator ? typed?.client_id : typed?.email}
          problems={problems}
          required
        />
        <Field
          name={operator ? "client_secret" : "password"}
          label={t(operator ? "login.clientSecret" : "login.password")}
          type="password"
          autocomplete="current-password"
          problems={problems}
          required
        />
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

/** The shortest password the set-password form takes. */
export const minPasswordLength = 12;

export function SetPasswordPage(props: { csrf: string; token: string; problems?: FormProblem[] }) {
  const { t } = useI18n();
  return (
    <Layout title={t("password.title")} path="/portal/set-password" anonymous>
      <ErrorSummary problems={props.problems} />
      <form method="post" action="/portal/set-password" class="stack" novalidate>
        <Csrf token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <Field
          name="password"
          label={t("password.new")}
          type="password"
          autocomplete="new-password"
          minlength={minPasswordLength}
          problems={props.problems}
          required
        />
        <button type="submit">{t("password.submit")}</button>
      </form>
    </Layout>
  );
}
