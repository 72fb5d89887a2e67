import type { Deps } from "../../deps";
import { deliverMessages } from "../shards/relay";
import { programDatabase } from "./databases";
import { conversionOutcome } from "./outcome";

/**
 * One round of the conversion sagas' relay from this database (docs/scale-out.md): every message its steps left
 * undelivered (a destination that was unreachable, a crash between two steps) goes to its program's database, and a
 * reply finishes its conversion here. A scheduled job on every database, and at start; nothing with one database.
 */
export async function relayConversionSagas(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids" | "log" | "shards">,
): Promise<{ delivered: number; failed: number }> {
  if (!deps.shards) return { delivered: 0, failed: 0 };
  const { delivered, failures } = await deliverMessages(
    deps,
    programDatabase(deps.shards),
    deps.ids,
    () => deps.clock.now(),
    100,
    { finishing: conversionOutcome(deps.ids) },
  );
  for (const { messageId, error } of failures)
    deps.log("warn", "saga message not delivered; the next round tries again", {
      message_id: messageId,
      error: String(error),
    });
  if (delivered > 0) deps.log("info", "conversion saga messages delivered", { delivered });
  return { delivered, failed: failures.length };
}

/**
 * The relay on every database, twice: a saga's credit order goes out in the first round and its reply, written by
 * the destination meanwhile, comes back in the second, whichever database sends first. Run at start, so that the
 * sagas a crash cut finish then rather than at the next scheduled run.
 */
export async function relayConversionSagasEverywhere(deps: Pick<Deps, "shards">): Promise<void> {
  const { shards } = deps;
  if (!shards) return;
  for (let round = 0; round < 2; round++)
    for (const name of shards.names()) await relayConversionSagas(shards.deps(name));
}
