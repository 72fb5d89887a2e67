import type { MemberHistoryItem } from "../../../gateway/src/domain/ledger/member-history";
import { TableWrap } from "../../components/table";
import type { I18n } from "../../i18n";
import { useI18n } from "../../render";
import { MemberShell, type MemberShellProps, memberHref, zoned } from "./shell";

/**
 * The member's history: their transactions newest first, a page at a time, each with what happened in words, the
 * points signed, when (in the member's time zone) and its description; "Older" and "Newer" are plain links
 * carrying the cursor, so paging needs no script.
 */

/** The page's neighbours, as the query strings of their links (none: no such page). */
export type HistoryLinks = { older?: string; newer?: string };

/** "+500", "-200" (a movement in or out), or "500" (reserved or returned, which moves no points in or out). */
function signedPoints(i18n: I18n, item: MemberHistoryItem) {
  if (item.sign === 0) return i18n.number(item.points);
  return new Intl.NumberFormat(i18n.locale, { signDisplay: "always" }).format(item.sign * item.points);
}

export function MemberHistoryPage(props: MemberShellProps & { items: MemberHistoryItem[]; links: HistoryLinks }) {
  const i18n = useI18n();
  const { t } = i18n;
  const path = memberHref(props.token, "/history");
  const { older, newer } = props.links;
  return (
    <MemberShell {...props} title={t("member.historyTitle")} path={path}>
      {props.items.length === 0 ? (
        <p data-history="empty">{t("member.history.empty")}</p>
      ) : (
        <TableWrap label={t("member.history.caption")}>
          <table class="member-history">
            <thead>
              <tr>
                <th scope="col">{t("member.history.what")}</th>
                <th scope="col" class="num">
                  {t("member.history.points")}
                </th>
                <th scope="col">{t("member.history.when")}</th>
                <th scope="col">{t("member.history.details")}</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((item) => (
                <tr data-transaction={item.id} data-type={item.type}>
                  <th scope="row">{t(`member.type.${item.type}`)}</th>
                  <td
                    class="num"
                    data-label={t("member.history.points")}
                    data-points={item.points}
                    data-sign={item.sign}
                  >
                    {signedPoints(i18n, item)}
                  </td>
                  <td data-label={t("member.history.when")}>{zoned(i18n, props.timezone, item.createdAt)}</td>
                  <td data-label={t("member.history.details")}>{item.description ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {older || newer ? (
        <nav class="member-pager" aria-label={t("member.history.pages")}>
          {newer ? (
            <a href={`${path}?${newer}`} rel="prev">
              {t("member.history.newer")}
            </a>
          ) : null}
          {older ? (
            <a href={`${path}?${older}`} rel="next">
              {t("member.history.older")}
            </a>
          ) : null}
        </nav>
      ) : null}
    </MemberShell>
  );
}
