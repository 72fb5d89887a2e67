import type { Child } from "hono/jsx";
import { Layout } from "../../components/layout";
import type { I18n, MessageKey } from "../../i18n";
import { useI18n } from "../../render";

/**
 * The frame of every hosted member page, as the partner's own page on a phone: the program's brand, who the
 * member is, their balance, and a bar of plain links to the member's pages; and the helpers the pages share to
 * say points and times in the member's language.
 */

/** Who the page speaks for, and to: the program, its owner, the member, their balance and time zone. */
export type MemberShellProps = {
  token: string;
  program: string;
  owner: string;
  externalId: string;
  /** The member's name, when the program gave one. */
  name: string | null;
  available: number;
  pending: number;
  timezone: string;
  /** The page speaks the member's own `locale`, so the portal's language switch is not offered. */
  fixedLanguage: boolean;
};

/** A page of the member's, under the token's URL: `memberHref(token, "/history")`. */
export const memberHref = (token: string, path = "") => `/portal/member/${token}${path}`;

/**
 * The member's pages in the nav, each with the paths under it: an order is the rewards', a transfer's receipt
 * the transfer's; anything else (a quote, a conversion's receipt) belongs to Home, where conversions start.
 */
const memberPages: readonly { key: MessageKey; path: string; under: readonly string[] }[] = [
  { key: "member.nav.home", path: "", under: [] },
  { key: "member.nav.history", path: "/history", under: ["/history"] },
  { key: "member.nav.rewards", path: "/rewards", under: ["/rewards", "/orders"] },
  { key: "member.nav.transfer", path: "/transfer", under: ["/transfer"] },
  { key: "member.nav.challenges", path: "/challenges", under: ["/challenges"] },
  { key: "member.nav.card", path: "/card", under: ["/card"] },
];

/** The nav of the member's pages, the one the page's `path` is under marked as current. */
function MemberNav(props: { token: string; path: string }) {
  const { t } = useI18n();
  const rest = props.path.slice(memberHref(props.token).length);
  const current = memberPages.find((page) => page.under.some((prefix) => rest.startsWith(prefix))) ?? memberPages[0];
  return (
    <nav class="member-nav" aria-label={t("member.nav.label")}>
      <ul>
        {memberPages.map((page) => (
          <li>
            <a href={memberHref(props.token, page.path)} aria-current={page === current ? "page" : undefined}>
              {t(page.key)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** "3,000 Harbor Rewards points", "1 балл Harbor Rewards": a number of a program's points, in the page's language. */
export function pointsOf(i18n: I18n, n: number, program: string) {
  const rules = pluralRules.get(i18n.locale) ?? new Intl.PluralRules(i18n.locale);
  pluralRules.set(i18n.locale, rules);
  return i18n.t(`member.amount.${rules.select(n)}`, { n: i18n.number(n), program });
}

/** A moment in the member's time zone, named ("4:52:00 PM UTC", "13:52:00 BRT"), with its date unless `timeOnly`. */
export function zoned(i18n: I18n, timezone: string, at: Date, timeOnly = false) {
  const date = timeOnly ? {} : ({ year: "numeric", month: "short", day: "numeric" } as const);
  return new Intl.DateTimeFormat(i18n.locale, {
    ...date,
    hour: "numeric",
    minute: "2-digit",
    second: timeOnly ? "2-digit" : undefined,
    timeZone: timezone,
    timeZoneName: "short",
  }).format(at);
}

/** A day in the member's time zone ("Mar 3, 2027", "3 de mar. de 2027"). */
export const zonedDate = (i18n: I18n, timezone: string, at: Date) =>
  new Intl.DateTimeFormat(i18n.locale, { dateStyle: "medium", timeZone: timezone }).format(at);

/**
 * The page shell: the program's brand, the member's pages, who the member is, their balance. `path` is the page's
 * own (`memberHref(token, "/history")`): the nav marks the page it is under as current.
 */
export function MemberShell(props: MemberShellProps & { title: string; path: string; children: Child }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout
      title={props.title}
      path={props.path}
      brand={{ name: props.program }}
      anonymous
      fixedLanguage={props.fixedLanguage}
      nav={<MemberNav token={props.token} path={props.path} />}
    >
      <p class="member-intro">
        {t("member.intro", { id: props.externalId, program: props.program, owner: props.owner })}
      </p>
      <dl class="cards member-balance">
        <div class="card">
          <dt>{t("member.balance")}</dt>
          <dd data-balance="available">{i18n.number(props.available)}</dd>
        </div>
        <div class="card">
          <dt>{t("member.pending")}</dt>
          <dd data-balance="pending">{i18n.number(props.pending)}</dd>
        </div>
      </dl>
      {props.children}
    </Layout>
  );
}

/** A field's error, next to it, tied to it by aria-describedby. */
export const FieldError = (props: { id: string; text?: string }) =>
  props.text ? (
    <p class="member-field-error" id={props.id}>
      {props.text}
    </p>
  ) : null;
