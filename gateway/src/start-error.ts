import { ConfigError } from "./config";
import { MigrationError } from "./db/migrate";

/**
 * A start-up failure that the operator fixes outside the code, such as a busy port or an unreachable
 * database. Like a ConfigError, it is printed as its message alone, without a stack trace.
 */
export class StartError extends Error {
  override name = "StartError";
}

/**
 * The message of the innermost cause. Drivers wrap the useful part ("getaddrinfo ENOTFOUND host") in
 * "fetch failed" or "Failed query: ..."; the embedded driver's `ConnectionFailed("...")` is unwrapped too.
 */
export function rootMessage(error: unknown): string {
  let innermost = error;
  while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
  if (!(innermost instanceof Error)) return String(innermost);
  // Node's AggregateError (every address of a host refused) has an empty message but a code.
  const message = innermost.message || String((innermost as { code?: unknown }).code ?? innermost.name);
  return /^\w+\("(.*)"\)$/.exec(message)?.[1] ?? message;
}

/**
 * The catch-all of a command's start (the Node entry, npm scripts): a ConfigError, StartError or
 * MigrationError (the database refused a migration: it needs repair, not a retry) is printed as one line (a
 * ConfigError as one line per bad setting) and the process exits 1. Anything else is a bug
 * and is thrown again, with its stack.
 */
export function exitOnStartError(error: unknown, settingsHint = "Run with --help to list every setting."): never {
  if (error instanceof ConfigError) {
    console.error(`${error.message}\n${settingsHint}`);
    process.exit(1);
  }
  if (error instanceof StartError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
