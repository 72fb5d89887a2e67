import type { Deps } from "../../deps";
import { drainMessages } from "../shards/relay";
import { programDatabase } from "./databases";
import { conversionOutcome } from "./outcome";

/** Messages read per round of the relay; rounds repeat while one is full, for up to `relayBudgetMs`. */
const relayRound = 100;
const relayBudgetMs = 5_000;

/**
 * The conversion sagas' relay from this database (docs/scale-out.md): every message its steps left undelivered (a
 * destination that was unreachable, a crash between two steps) goes to its program's database, and a reply finishes
 * its conversion here, in rounds until the backlog is read or 5 s have passed; a destination that fails is skipped
 * for the rest of the run. A scheduled job on every database, and at start on Node; nothing with one database.
 */
export async function relayConversionSagas(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids" | "log" | "shards">,
): Promise<{ delivered: number; failed: number }> {
  if (!deps.shards) return { delivered: 0, failed: 0 };
  const { delivered, failures, skipped } = await drainMessages(
    deps,
    programDatabase(deps.shards),
    deps.ids,
    () => deps.clock.now(),
    { limit: relayRound, budgetMs: relayBudgetMs, finishing: conversionOutcome(deps.ids) },
  );
  for (const { messageId, error } of failures)
    deps.log("warn", "saga message not delivered; the next run tries again", {
      message_id: messageId,
      error: String(error),
    });
  if (skipped > 0)
    deps.log("warn", "saga messages to a database that failed this run left for the next run", { skipped });
  if (delivered > 0) deps.log("info", "conversion saga messages delivered", { delivered });
  // Failed: left undelivered this run, tried or skipped.
  return { delivered, failed: failures.length + skipped };
}

/**
 * The relay on every database, twice: a saga's credit order goes out in the first round and its reply, written by
 * the destination meanwhile, comes back in the second, whichever database sends first. Run at start, so that the
 * sagas a crash cut finish then rather than at the next scheduled run.
 */
export async function relayConversionSagasEverywhere(deps: Pick<Deps, "shards">): Promise<void> {
  const { shards } = deps;
  if (!shards) return;
  // A database that cannot be read does not stop the others' relay; the first failure is thrown after them.
  const failures: unknown[] = [];
  for (let round = 0; round < 2; round++)
    for (const name of shards.names())
      await relayConversionSagas(shards.deps(name)).catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw failures[0];
}
