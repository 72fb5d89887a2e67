import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The first ```ts block after the heading "A partner integration" of sdk/README.md: the README's integration. */
export function sdkReadmeExample(): string {
  const readme = readFileSync(fileURLToPath(new URL("../../sdk/README.md", import.meta.url)), "utf8");
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## A partner integration")));
  if (!match?.[1]) throw new Error("no example in sdk/README.md");
  return match[1];
}
