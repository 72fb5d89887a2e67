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
  return { delivered, failed: failures.length };
}
