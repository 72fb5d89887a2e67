import { Layout } from "../components/layout";
import { useI18n } from "../render";

/** Something went wrong, in the visitor's language; with the navigation when the visitor is signed in. */
export function ErrorPage(props: { detail: string; requestId: string }) {
  const { t } = useI18n();
  return (
    <Layout title={t("error.title")} path="/portal">
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
