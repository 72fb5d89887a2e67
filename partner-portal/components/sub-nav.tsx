import type { MessageKey } from "../i18n";
import { useI18n } from "../render";

/**
 * The pages under one entry of the menu (so the header keeps to one row on a desktop), as a named navigation
 * between the title and the page: Promotions and Campaigns, the rewards Catalogue and Orders.
 */
export function SubNav(props: {
  label: MessageKey;
  class: string;
  pages: readonly { href: string; key: MessageKey }[];
  current: string;
}) {
  const { t } = useI18n();
  return (
    <nav class={props.class} aria-label={t(props.label)}>
      <ul>
        {props.pages.map((page) => (
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
