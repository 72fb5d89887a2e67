import type { Child } from "hono/jsx";
import { Layout } from "../components/layout";
import type { MessageKey } from "../i18n";
import { useI18n, useSession } from "../render";

/** Each status's title: what is wrong, as a heading. An unlisted status takes its class's (400 or 500). */
const titles: Record<number, MessageKey> = {
  400: "problems.page.400",
  401: "problems.page.401",
  403: "problems.page.403",
  404: "problems.page.404",
  405: "problems.page.405",
  409: "problems.page.409",
  413: "problems.page.413",
  415: "problems.page.415",
  422: "problems.page.422",
  423: "problems.page.423",
  429: "problems.page.429",
  500: "problems.page.500",
  503: "problems.page.503",
};

export const errorTitle = (status: number, csrf: boolean): MessageKey =>
  csrf ? "problems.page.403csrf" : (titles[status] ?? (status >= 500 ? "problems.page.500" : "problems.page.400"));

/**
 * An error as a page in the full layout (the visitor's language, the navigation of a signed-in visitor): a
 * title saying what is wrong, the problem in words for people (what happened, what to do), where to go next
 * (back to the form that expired; the dashboard, the operator view or sign-in), and the request id to quote.
 */
export function ErrorPage(props: {
  status: number;
  message: string;
  requestId: string;
  /** The page's own path, for the language switch to come back to (a GET's), else the portal's start. */
  path: string;
  csrf?: boolean;
  /** The form to go back to, for a form that expired. */
  back?: string;
}) {
  const { t } = useI18n();
  const session = useSession();
  const links: Child[] = [];
  if (props.back) links.push(<a href={props.back}>{t("problems.page.backToForm")}</a>);
  if (!session || props.status === 401) links.push(<a href="/portal/login">{t("problems.page.signIn")}</a>);
  else if (session.role === "operator") links.push(<a href="/portal/operator">{t("problems.page.toOperator")}</a>);
  else links.push(<a href="/portal/dashboard">{t("problems.page.toDashboard")}</a>);
  return (
    <Layout title={t(errorTitle(props.status, props.csrf ?? false))} path={props.path}>
      <div class="problem-page" data-status={props.status}>
        <p class="lead">{props.message}</p>
        <ul class="next">
          {links.map((link) => (
            <li>{link}</li>
          ))}
        </ul>
        <p class="muted">
          {t("problems.page.status", { status: props.status })}. {t("problems.page.requestId")}{" "}
          <code>{props.requestId}</code>
        </p>
      </div>
    </Layout>
  );
}
