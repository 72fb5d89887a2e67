import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";

/** The URL is not versioned, so browsers keep it a day and then revalidate with the ETag (a cheap 304). */
const cacheControl = "public, max-age=86400, stale-while-revalidate=604800";

type Loaded = { plain: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer>; etag: string };

/**
 * The Node entry's `docsScript` (see deps.ts): Scalar's standalone bundle (~3.5 MB, ~1 MB gzipped) from
 * node_modules, read and compressed once on the first request and then answered from memory, with an ETag,
 * gzip when the browser accepts it, and a day of caching. Throws at once when the package is not installed.
 */
export function nodeDocsScript(): (request: Request) => Promise<Response> {
  const path = createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js");
  let loading: Promise<Loaded> | undefined;

  async function load(): Promise<Loaded> {
    const plain = new Uint8Array(await readFile(path));
    const digest = createHash("sha256").update(plain).digest("base64url").slice(0, 22);
    return { plain, gzip: new Uint8Array(gzipSync(plain, { level: 9 })), etag: `"${digest}"` };
  }

  return async (request) => {
    // A failed read is not cached: the next request tries again.
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    const { plain, gzip, etag } = await loading;
    const headers = new Headers({
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": cacheControl,
      ETag: etag,
      Vary: "Accept-Encoding",
    });
    const ifNoneMatch = request.headers.get("If-None-Match") ?? "";
    if (ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag))
      return new Response(null, { status: 304, headers });
    const gzipped = /\bgzip\b/i.test(request.headers.get("Accept-Encoding") ?? "");
    if (gzipped) headers.set("Content-Encoding", "gzip");
    const body = gzipped ? gzip : plain;
    headers.set("Content-Length", String(body.byteLength));
    return new Response(body, { headers });
  };
}
