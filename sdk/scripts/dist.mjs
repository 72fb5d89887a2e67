/**
 * The steps of `npm run build` around its two tsc runs (tsconfig.json: dist/esm, tsconfig.cjs.json: dist/cjs):
 * `clean` removes dist so no file of an older build is packed; `finish` copies the generated schema.d.ts
 * (a declaration file, which tsc does not copy) into both outputs and marks dist/cjs as CommonJS, since this
 * package's "type" is "module".
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const sdk = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(sdk, "dist");
const step = process.argv[2];

if (step === "clean") {
  rmSync(dist, { recursive: true, force: true });
} else if (step === "finish") {
  for (const format of ["esm", "cjs"]) {
    mkdirSync(join(dist, format), { recursive: true });
    copyFileSync(join(sdk, "src/schema.d.ts"), join(dist, format, "schema.d.ts"));
  }
  writeFileSync(join(dist, "cjs/package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
} else {
  console.error("usage: node scripts/dist.mjs clean|finish");
  process.exit(1);
}
