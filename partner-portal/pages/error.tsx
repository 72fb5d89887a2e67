import { Layout } from "../components/layout";
import type { I18n } from "../i18n";
import type { PortalSession } from "../session";

export function ErrorPage(props: { i18n: I18n; session?: PortalSession; detail: string; requestId: string }) {
  const { t } = props.i18n;
  return (
    <Layout i18n={props.i18n} title={t("error.title")} path="/portal" session={props.session}>
      <p class="alert error" role="alert">
        {props.detail}
      </p>
      <p class="muted">
        Request <code>{props.requestId}</code>
      </p>
      <p>
        <a href="/portal">{t("error.back")}</a>
      </p>
    </Layout>
  );
}
