import { expect } from "vitest";

type Page<T> = { data: T[]; has_more: boolean };

/** More pages than any list a scenario walks: a cursor that never ends fails here instead of hanging the test. */
const maxPages = 200;

/**
 * Walks a cursor list page by page (`?limit=` with `starting_after`, or `ending_before` from `before`), and answers
 * every item in list order. `get` answers one page for a query string such as `limit=2&starting_after=tpt_…`.
 * Each page holds at most `limit` items.
 */
export async function walkPages<T extends { id: string }>(
  get: (query: string) => Promise<Page<T>>,
  limit: number,
  before?: string,
): Promise<T[]> {
  const items: T[] = [];
  let cursor = before === undefined ? "" : `&ending_before=${before}`;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await get(`limit=${limit}${cursor}`);
    expect(page.data.length, `a page of ${limit}`).toBeLessThanOrEqual(limit);
    if (before === undefined) items.push(...page.data);
    else items.unshift(...page.data);
    if (!page.has_more) return items;
    cursor = before === undefined ? `&starting_after=${page.data.at(-1)?.id}` : `&ending_before=${page.data[0]?.id}`;
  }
  throw new Error(`the list did not end within ${maxPages} pages of ${limit}`);
}
