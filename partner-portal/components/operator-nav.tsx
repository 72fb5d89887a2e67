import { SubNav } from "./sub-nav";

const pages = [
  { href: "/portal/operator", key: "reports.network.navOperator" },
  { href: "/portal/operator/network", key: "reports.network.navNetwork" },
] as const;

/** The two pages under the menu's Operator: the review queue and periods, and the network's flows. */
export const OperatorNav = (props: { current: (typeof pages)[number]["href"] }) => (
  <SubNav label="reports.network.pages" class="operator-nav" pages={pages} current={props.current} />
);
