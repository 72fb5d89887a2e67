import { Alert, Csrf, Layout } from "../components/layout";
import { useI18n, useSignedIn } from "../render";

type Credential = { clientId: string; createdAt: Date; revokedAt: Date | null };

/** The partner's API credentials; a new secret is shown once, right after it is made. */
export function CredentialsPage(props: { credentials: Credential[]; created?: { clientId: string; secret: string } }) {
  const i18n = useI18n();
  const session = useSignedIn();
  const { t } = i18n;
  return (
    <Layout title={t("credentials.title")} path="/portal/credentials">
      {props.created ? (
        <Alert kind="ok">
          {t("credentials.secretOnce")}
          <br />
          <code data-client-id>{props.created.clientId}</code>
          <br />
          <code data-client-secret>{props.created.secret}</code>
        </Alert>
      ) : null}
      <form method="post" action="/portal/credentials" class="actions">
        <Csrf token={session.csrfToken} />
        <button type="submit">{t("credentials.create")}</button>
      </form>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("credentials.clientId")}</th>
              <th scope="col">{t("credentials.created")}</th>
              <th scope="col">{t("webhooks.status")}</th>
              <th scope="col">
                <span class="muted">·</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.credentials.map((credential) => (
              <tr>
                <td>
                  <code>{credential.clientId}</code>
                </td>
                <td>{i18n.dateTime(credential.createdAt)}</td>
                <td>
                  {credential.revokedAt
                    ? `${t("credentials.revoked")} ${i18n.dateTime(credential.revokedAt)}`
                    : t("credentials.active")}
                </td>
                <td>
                  {credential.revokedAt ? null : (
                    <form method="post" action={`/portal/credentials/${credential.clientId}/rotate`} class="inline">
                      <Csrf token={session.csrfToken} />
                      <button type="submit" class="secondary">
                        {t("credentials.rotate")}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
