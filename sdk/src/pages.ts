import type { ListPage, PagePromise } from "./operation-types.js";

/**
 * A list call as a {@link PagePromise}: `fetchPage()` (the page asked for) is sent at once and is what `await`
 * gives; `for await` yields its items, then fetches `fetchPage(lastId)` for the next page while `has_more` says
 * there is one, so an integration can read a whole list without handling cursors.
 */
export function pagePromise<Page extends ListPage>(
  fetchPage: (startingAfter?: string) => Promise<Page>,
): PagePromise<Page> {
  const first = fetchPage();
  async function* items(): AsyncGenerator<Page["data"][number], void, undefined> {
    let page = await first;
    for (;;) {
      yield* page.data;
      const last = page.data.at(-1);
      if (!page.has_more || !last) return;
      page = await fetchPage(last.id);
    }
  }
  return Object.assign(first, { [Symbol.asyncIterator]: items });
}
