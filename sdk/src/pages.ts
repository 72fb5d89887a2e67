import { apiPromise } from "./api-promise.js";
import type { ListPage, PagePromise } from "./operation-types.js";
import type { ResponseMeta } from "./response-meta.js";

/**
 * A list call as a {@link PagePromise}: `fetchPage()` (the page asked for) is sent at once and is what `await`
 * gives; `for await` yields its items, then fetches `fetchPage(lastId)` for the next page while `has_more` says
 * there is one, so an integration can read a whole list without handling cursors.
 */
export function pagePromise<Page extends ListPage>(
  fetchPage: (startingAfter?: string) => Promise<{ data: Page; meta: ResponseMeta }>,
): PagePromise<Page> {
  const first = apiPromise(fetchPage());
  async function* items(): AsyncGenerator<Page["data"][number], void, undefined> {
    let page = await first;
    for (;;) {
      yield* page.data;
      const last = page.data.at(-1);
      if (!page.has_more || !last) return;
      page = (await fetchPage(last.id)).data;
    }
  }
  return Object.assign(first, { [Symbol.asyncIterator]: items });
}
