import { memberHistoryPage } from "../../../gateway/src/domain/ledger/member-history";
import { createPortalRouter } from "../../context";
import { type HistoryLinks, MemberHistoryPage } from "../../pages/member/history";
import { renderPage } from "../../render";
import { openSession, shell } from "./session";

/** Lines on a page of the member's history: a phone's screenful or two. */
export const historyPageSize = 10;

/**
 * The member's history, a page at a time: `?starting_after=<id>` (older than that line) or `?ending_before=<id>`
 * (newer), as the API's lists page. Every page links to its older neighbour when there is one, and to its newer
 * one unless it is the newest.
 */
export const historyRoutes = createPortalRouter().get("/member/:token/history", async (c) => {
  const session = await openSession(c);
  const { props, access } = await shell(c, session);
  const after = c.req.query("starting_after") || undefined;
  const before = c.req.query("ending_before") || undefined;
  const page = await memberHistoryPage(c.var.deps, access.member.id, {
    limit: historyPageSize,
    starting_after: after,
    ending_before: before,
  });
  const first = page.data[0];
  const last = page.data.at(-1);
  // Paging back (ending_before), the page has older lines after it; paging on (starting_after), newer ones before it.
  const links: HistoryLinks = {
    older: last && (before || page.hasMore) ? `starting_after=${encodeURIComponent(last.id)}` : undefined,
    newer: first && (after || (before && page.hasMore)) ? `ending_before=${encodeURIComponent(first.id)}` : undefined,
  };
  return renderPage(c, <MemberHistoryPage {...props} items={page.data} links={links} />);
});
