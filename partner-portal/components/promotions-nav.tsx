import { useI18n } from "../render";

const pages = [
  { href: "/portal/promotions", key: "nav.promotions" },
  { href: "/portal/promotions/campaigns", key: "nav.campaigns" },
] as const;

/** The two pages under the menu's Promotions: the promotions and the campaigns that group them. */
export function PromotionsNav(props: { current: (typeof pages)[number]["href"] }) {
  const { t } = useI18n();
  return (
    <nav class="promotions-nav" aria-label={t("promotions.pages")}>
      <ul>
        {pages.map((page) => (
          <li>
            <a href={page.href} aria-current={page.href === props.current ? "page" : undefined}>
              {t(page.key)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
