/**
 * Puts the API reference's script where Workers static assets serve it: Scalar's standalone bundle from
 * node_modules to dist/assets/docs/scalar.js, the same-origin URL /docs (gateway/src/routes/meta/docs.ts) loads.
 * wrangler runs this before every build (`[build] command` in wrangler.toml); the Node entry needs none of it.
 *
 *   npx tsx scripts/copy-docs-assets.ts
 */
import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const assets = fileURLToPath(new URL("../dist/assets/", import.meta.url));
const source = createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js");
const target = `${assets}docs/scalar.js`;

await mkdir(`${assets}docs`, { recursive: true });
await copyFile(source, target);
// Same caching as the Node entry (gateway/src/node-docs-script.ts): the URL is not versioned, so a day, then
// revalidation against the ETag that Workers assets send.
await writeFile(
  `${assets}_headers`,
  ["/docs/scalar.js", "  Cache-Control: public, max-age=86400, stale-while-revalidate=604800", ""].join("\n"),
);
const { size } = await stat(target);
console.log(`copy-docs-assets: ${target} (${(size / 1_048_576).toFixed(1)} MB)`);
