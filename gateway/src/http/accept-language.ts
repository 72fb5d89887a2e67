import { parseAccept } from "hono/utils/accept";

/**
 * The best of `supported` for an `Accept-Language` header (Hono parses it, ranges by quality, ties in the order
 * sent): a range names a language exactly (`pt-BR`, any case) or by its primary subtag, so `pt` and `pt-PT` find
 * pt-BR and `ru-RU` finds ru. Undefined when no range matches (`*` matches none: the caller's default then).
 * The API's statement PDF and the portal's pages choose their language with it alike.
 */
export function preferredLanguage<T extends string>(
  acceptLanguage: string | undefined,
  supported: readonly T[],
): T | undefined {
  const primary = (tag: string) => tag.split("-")[0]?.toLowerCase();
  for (const { type: tag, q } of parseAccept(acceptLanguage ?? "")) {
    if (q <= 0) continue;
    const exact = supported.find((language) => language.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const byPrimary = supported.find((language) => primary(language) === primary(tag));
    if (byPrimary) return byPrimary;
  }
  return undefined;
}
