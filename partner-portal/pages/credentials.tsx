import { Alert, Csrf, Layout } from "../components/layout";
import { useI18n, useNow, useSignedIn } from "../render";

type Credential = { clientId: string; createdAt: Date; revokedAt: Date | null };

/** The partner's API credentials; a new secret is shown once, right after it is made. */
export function CredentialsPage(props: { credentials: Credential[]; created?: { clientId: string; secret: string } }) {
  const i18n = useI18n();
  const session = useSignedIn();
  const now = useNow();
  const { t } = i18n;
  // A rotation's grace period keeps the replaced credential working until its revocation time.
  const status = (revokedAt: Date | null) =>
    revokedAt === null
      ? t("credentials.active")
      : `${t(revokedAt > now ? "credentials.activeUntil" : "credentials.revoked")} ${i18n.dateTime(revokedAt)}`;
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
                <td>{status(credential.revokedAt)}</td>
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
