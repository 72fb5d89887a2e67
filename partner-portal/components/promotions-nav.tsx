import { SubNav } from "./sub-nav";

const pages = [
  { href: "/portal/promotions", key: "nav.promotions" },
  { href: "/portal/promotions/campaigns", key: "nav.campaigns" },
] as const;

/** The two pages under the menu's Promotions: the promotions and the campaigns that group them. */
export const PromotionsNav = (props: { current: (typeof pages)[number]["href"] }) => (
  <SubNav label="promotions.pages" class="promotions-nav" pages={pages} current={props.current} />
);
