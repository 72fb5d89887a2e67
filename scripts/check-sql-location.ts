/**
 * `npm run check`: SQL lives under gateway/src/db/ only. Fails, naming file and line, when the gateway or the
 * portal elsewhere writes an SQL statement, builds a query with drizzle, or imports a table for anything but
 * its type. Routes, domain and portal call the query modules of gateway/src/db/queries/ instead.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");
const roots = ["gateway/src", "partner-portal"];
const allowed = "gateway/src/db/";

const rules: [RegExp, string][] = [
  [
    /\b(select\s[\s\S]{0,200}?\bfrom\s+[a-z_]+|insert\s+(or\s+\w+\s+)?into\s+[a-z_]+|update\s+[a-z_]+\s+set\b|delete\s+from\s+[a-z_]+)/i,
    "an SQL statement",
  ],
  [/^import\s+(?!type\b)[^;]*from\s+"drizzle-orm(\/[^"]*)?";/m, "drizzle-orm imported (query building)"],
  [
    /^import\s+(?!type\b)\{[^}]*\}\s+from\s+"[./]*(gateway\/src\/)?db\/schema(\/[^"]*)?";/m,
    "a table imported as a value",
  ],
];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.tsx?$/.test(name)) yield path;
  }
}

const problems: string[] = [];
for (const start of roots) {
  for (const file of files(join(root, start))) {
    const path = relative(root, file);
    if (path.startsWith(allowed)) continue;
    const text = readFileSync(file, "utf8");
    for (const [pattern, what] of rules) {
      const match = pattern.exec(text);
      if (!match) continue;
      const line = text.slice(0, match.index).split("\n").length;
      problems.push(`${path}:${line}: ${what} outside ${allowed}: ${(match[0].split("\n")[0] ?? "").slice(0, 80)}`);
    }
  }
}
if (problems.length > 0) {
  console.error(`SQL belongs in ${allowed} (see gateway/src/db/queries/):\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`no SQL outside ${allowed}`);
