import type { ApiPromise } from "./operation-types.js";
import type { ResponseMeta } from "./response-meta.js";

/** A call's {@link ApiPromise} over its pending answer. */
export function apiPromise<T>(answer: Promise<{ data: T; meta: ResponseMeta }>): ApiPromise<T> {
  const data = answer.then((result) => result.data);
  return Object.assign(data, {
    withResponse() {
      // Read through withResponse only: the body's promise fails with it, and no one waits for that one.
      data.catch(() => {});
      return answer;
    },
  });
}
