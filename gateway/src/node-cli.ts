import { parseArgs } from "node:util";
import { configHelp } from "./config";

const usage = "Usage: npm start [-- --help]";

/**
 * The Node entry's command line. Settings are environment variables, so the only option is help
 * (`-h`, `--help`): it prints every setting and exits 0. Any other option or argument is refused with one
 * line that names it and points at --help, and exit code 2, as usage errors exit.
 */
export function handleCommandLine(args: string[]): void {
  // Not strict: parseArgs' own errors are long and suggest `--` for positionals, which this command has none of.
  const { tokens } = parseArgs({
    args,
    options: { help: { type: "boolean", short: "h" } },
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "option-terminator" || (token.kind === "option" && token.name === "help")) continue;
    const what = token.kind === "option" ? `option ${token.rawName}` : `argument ${JSON.stringify(token.value)}`;
    console.error(
      `Unknown ${what}: settings are environment variables (PORT=9000 npm start). Run with --help to list them.`,
    );
    process.exit(2);
  }
  if (!tokens.some((token) => token.kind === "option")) return;
  console.log(`${usage}\n\ncoalition-gateway on Node. Settings (environment variables):\n`);
  for (const [name, help] of Object.entries(configHelp)) console.log(`  ${name.padEnd(30)} ${help}`);
  process.exit(0);
}
