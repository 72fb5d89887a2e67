import type { Context } from "hono";
import type { PageQuery } from "../../gateway/src/db/queries/pages";
import type { Deps } from "../../gateway/src/deps";
import type { Program } from "../../gateway/src/domain/programs";
import { daysIn } from "../../gateway/src/domain/reports/buckets";
import {
  type DrilldownDimension,
  type DrilldownMeasure,
  type DrilldownRequest,
  type drilldownPage,
  promotionName,
} from "../../gateway/src/domain/reports/drilldown";
import { isCalendarDay, rangeOf } from "../../gateway/src/domain/reports/range";
import { ApiError } from "../../gateway/src/errors";
import type { PortalEnv } from "../context";
import type { DrilldownView } from "../pages/reports-drilldown";
import { queryOf, reportsHref } from "../pages/reports-form";
import { maxRangeDays } from "./reports-range";

/** Transactions on a page of a bar's drill-down. */
export const drilldownPageSize = 25;

const measures: readonly DrilldownMeasure[] = ["earned", "spent", "promotion_bonus", "active"];
const dimensions: readonly DrilldownDimension[] = ["channel", "store", "promotion"];
/** The reports page's own parameters, which a drill-down carries back to it (`back`). */
const reportParams = ["from", "to", "interval", "preset"] as const;

const refuse = (path: string, message: string) =>
  new ApiError("validation_failed", `Bad drill-down: ${path} ${message}.`, { errors: [{ path, message }] });

/**
 * What a drill-down's query asks for: `measure`, the local days `from` and `to` of the bar, `by` (channel, store or
 * promotion) with `key` (none: the bar of those not given), a cursor (`starting_after` or `ending_before`), and
 * `back`, the reports page's query it came from. A query no bar could have made is refused (400, naming it).
 */
export function drilldownQuery(c: Context<PortalEnv>, program: Program) {
  const query = (name: string) => c.req.query(name) || undefined;
  const measure = query("measure") ?? "";
  if (!(measures as readonly string[]).includes(measure))
    throw refuse("measure", `must be one of ${measures.join(", ")}`);
  const from = query("from") ?? "";
  const to = query("to") ?? "";
  for (const [path, day] of [
    ["from", from],
    ["to", to],
  ] as const)
    if (!isCalendarDay(day)) throw refuse(path, "must be a calendar date, YYYY-MM-DD");
  if (to < from) throw refuse("to", "must not be before from");
  if (daysIn(from, to) > maxRangeDays) throw refuse("from", `must be at most ${maxRangeDays} days before to`);
  const by = query("by");
  if (by !== undefined && !(dimensions as readonly string[]).includes(by))
    throw refuse("by", `must be one of ${dimensions.join(", ")}`);
  const request: DrilldownRequest = {
    measure: measure as DrilldownMeasure,
    range: rangeOf(from, to, program.timezone),
    dimension: by ? { name: by as DrilldownDimension, key: query("key") ?? null } : undefined,
  };
  const page: PageQuery = {
    limit: drilldownPageSize,
    starting_after: query("starting_after"),
    ending_before: query("ending_before"),
  };
  const sent = new URLSearchParams(query("back") ?? "");
  const back = Object.fromEntries(reportParams.map((name) => [name, sent.get(name) || undefined]));
  return { request, page, back: { program: program.id, ...back } };
}

/** The drill-down's page: the bar in words, its totals, the page of transactions and its neighbours. */
export async function drilldownView(
  deps: Pick<Deps, "reader">,
  program: Program,
  request: DrilldownRequest,
  page: PageQuery,
  found: Awaited<ReturnType<typeof drilldownPage>>,
  back: Record<string, string | undefined>,
): Promise<DrilldownView> {
  const { dimension, range } = request;
  const keyName =
    dimension?.name === "promotion" && dimension.key !== null
      ? await promotionName(deps, program, dimension.key)
      : null;
  const link = (cursor: "starting_after" | "ending_before", id: string) =>
    queryOf({
      measure: request.measure,
      from: range.from,
      to: range.to,
      by: dimension?.name,
      key: dimension?.key ?? undefined,
      back: queryOf(back),
      [cursor]: id,
    });
  return {
    program: { id: program.id, name: program.name, timezone: program.timezone },
    request: { measure: request.measure, dimension, from: range.from, to: range.to },
    keyName,
    totals: found.totals,
    rows: found.page.data,
    links: drilldownLinks(page, found.page, link),
    back: reportsHref("", back),
  };
}

/**
 * The neighbours of a page, as the member's history pages them: paging back (`ending_before`) the page has older
 * transactions after it; paging on (`starting_after`), newer ones before it.
 */
function drilldownLinks(
  query: PageQuery,
  page: { data: { id: string }[]; has_more: boolean },
  link: (cursor: "starting_after" | "ending_before", id: string) => string,
) {
  const first = page.data[0];
  const last = page.data.at(-1);
  const after = query.starting_after !== undefined;
  const before = query.ending_before !== undefined;
  return {
    older: last && (before || page.has_more) ? link("starting_after", last.id) : undefined,
    newer: first && (after || (before && page.has_more)) ? link("ending_before", first.id) : undefined,
  };
}
