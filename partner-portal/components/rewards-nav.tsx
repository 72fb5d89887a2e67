import { SubNav } from "./sub-nav";

const pages = [
  { href: "/portal/rewards", key: "nav.rewardsCatalogue" },
  { href: "/portal/rewards/orders", key: "nav.rewardsOrders" },
] as const;

/** The two pages under the menu's Rewards: the catalogue (with its code pools and import) and the orders to fulfil. */
export const RewardsNav = (props: { current: (typeof pages)[number]["href"] }) => (
  <SubNav label="rewards.pages" class="rewards-nav" pages={pages} current={props.current} />
);
