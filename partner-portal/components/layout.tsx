import type { Child } from "hono/jsx";
import type { PortalRole } from "../../gateway/src/domain/portal-sessions";
import { faviconPath } from "../assets";
import { type I18n, type Locale, localeNames, locales } from "../i18n";
import { useI18n, useSession } from "../render";

type NavItem = { href: string; key: Parameters<I18n["t"]>[0]; roles: PortalRole[] };

const navigation: NavItem[] = [
  { href: "/portal/dashboard", key: "nav.dashboard", roles: ["admin", "finance", "viewer"] },
  { href: "/portal/statements", key: "nav.statements", roles: ["admin", "finance", "viewer"] },
  { href: "/portal/tiers", key: "nav.tiers", roles: ["admin", "finance", "viewer"] },
  { href: "/portal/segments", key: "nav.segments", roles: ["admin", "finance", "viewer"] },
  { href: "/portal/promotions", key: "nav.promotions", roles: ["admin", "finance", "viewer"] },
  { href: "/portal/rewards", key: "nav.rewards", roles: ["admin", "finance", "viewer"] },
  { href: "/portal/reports", key: "nav.reports", roles: ["admin", "finance", "viewer"] },
  { href: "/portal/webhooks", key: "nav.webhooks", roles: ["admin"] },
  { href: "/portal/credentials", key: "nav.credentials", roles: ["admin"] },
  { href: "/portal/operator", key: "nav.operator", roles: ["operator"] },
];

/**
 * The page shell: language, skip link, and a header menu (navigation for the signed-in role, a language switch,
 * sign-out) that is a disclosure on a phone and a row of links on a desktop. The
 * language and the session come from the request (the renderer); `anonymous` pages, those anyone may open
 * (sign-in, setting a password, a member's page), show no navigation or sign-out even to a signed-in visitor.
 */
export function Layout(props: {
  title: string;
  path: string;
  anonymous?: boolean;
  /** A partner's brand (the member page's program) in place of the portal's name, in the header and the title. */
  brand?: { name: string };
  /** The page's own navigation (a member's pages), between the header and the content, so the skip link passes it. */
  nav?: Child;
  /** The language is the reader's own (a member's `locale`), not the visitor's choice: no switch is offered. */
  fixedLanguage?: boolean;
  children: Child;
}) {
  const { path } = props;
  const i18n = useI18n();
  const signedIn = useSession();
  const session = props.anonymous ? undefined : signedIn;
  const { t } = i18n;
  const languages = props.fixedLanguage ? null : (
    <nav class="languages" aria-label={t("nav.language")}>
      {(Object.keys(locales) as Locale[]).map((locale) => (
        <a
          href={`/portal/lang?to=${locale}&back=${encodeURIComponent(path)}`}
          lang={locale}
          hreflang={locale}
          aria-current={locale === i18n.locale ? "true" : undefined}
        >
          {localeNames[locale]}
        </a>
      ))}
    </nav>
  );
  return (
    <html lang={i18n.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${props.brand?.name ?? t("app.title")}`}</title>
        <link rel="icon" href={faviconPath} type="image/svg+xml" />
        <link rel="stylesheet" href="/portal/assets/portal.css" />
      </head>
      <body>
        <a class="skip" href="#content">
          {t("nav.skip")}
        </a>
        <header>
          <span class="brand">{props.brand?.name ?? t("app.title")}</span>
          {/* A disclosure, as the portal runs no script: collapsed under a "Menu" button on a phone, its
              contents shown inline on a desktop (styles/layout.ts hides the summary there); none when it
              would hold nothing (a member's page in the member's own language). */}
          {session || languages ? (
            <details class="menu">
              <summary>{t("layout.menu")}</summary>
              <div class="menu-body">
                {session ? (
                  <nav aria-label={t("layout.mainNav")}>
                    <ul>
                      {navigation
                        .filter((item) => item.roles.includes(session.role))
                        .map((item) => (
                          <li>
                            <a href={item.href} aria-current={path.startsWith(item.href) ? "page" : undefined}>
                              {t(item.key)}
                            </a>
                          </li>
                        ))}
                    </ul>
                  </nav>
                ) : null}
                {languages}
                {session ? (
                  <form method="post" action="/portal/logout" class="sign-out">
                    <input type="hidden" name="_csrf" value={session.csrfToken} />
                    <button type="submit" class="secondary">
                      {t("nav.signOut")}
                    </button>
                  </form>
                ) : null}
              </div>
            </details>
          ) : null}
        </header>
        {props.nav}
        <main id="content">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A hidden CSRF field for a form. */
export const Csrf = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;

export const Alert = (props: { kind: "error" | "ok"; children: Child }) => (
  <p class={`alert ${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
    {props.children}
  </p>
);
