import { ListQuerySchema } from "./http/pagination";

/** A list page as every gateway answers it (API.md, "Lists"): newest first by id. */
export type ListPage = { object: "list"; data: { id: string }[]; has_more: boolean };

const newestFirst = (a: { id: string }, b: { id: string }) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The page one database would answer if it held every database's rows, from each database's page for the same
 * query. Ids are prefixed ULIDs, so sorting them newest first keeps the order and the cursor: each database's page
 * holds its `limit` rows nearest the cursor, so the `limit` nearest of their union are the merged page's rows (the
 * first ones after `starting_after` or without a cursor, the last ones before `ending_before`), and the last (or first)
 * id returned is the next page's cursor on every database alike. More is left when a database said so or the union
 * was cut.
 */
export function mergePages(pages: readonly ListPage[], limit: number, backwards: boolean): ListPage {
  const rows = pages.flatMap((page) => page.data).sort(newestFirst);
  const data = backwards ? rows.slice(Math.max(0, rows.length - limit)) : rows.slice(0, limit);
  return { object: "list", data, has_more: rows.length > limit || pages.some((page) => page.has_more) };
}

/**
 * One answer from every database's answer to the same list request: the first refusal as it is (each database
 * validates and authorizes the request alike, so main's refusal comes first), else the merged page with main's
 * headers (its request id and rate-limit state).
 */
export async function mergedListAnswer(answers: readonly Response[], url: URL): Promise<Response> {
  const refused = answers.find((answer) => answer.status !== 200);
  if (refused) {
    await Promise.all(answers.filter((answer) => answer !== refused).map((answer) => answer.body?.cancel()));
    return refused;
  }
  const pages = (await Promise.all(answers.map((answer) => answer.json()))) as ListPage[];
  // Every database accepted the query, so its limit is valid; the schema gives the default.
  const limit = ListQuerySchema.shape.limit.parse(url.searchParams.get("limit") ?? undefined);
  const merged = mergePages(pages, limit, url.searchParams.has("ending_before"));
  const headers = new Headers(answers[0]?.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(merged), { status: 200, headers });
}
