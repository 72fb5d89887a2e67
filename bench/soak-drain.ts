import Database from "libsql";

/** Where the outbox stands: events not fanned out yet, deliveries still to make, and those given up. */
export type OutboxState = {
  events: number;
  unfanned: number;
  pending: number;
  failed: number;
  nextDueMs: number | null;
};

/** Reads the outbox of the live file (WAL: a reader beside the gateway's writer), each time on a fresh connection. */
export function outboxState(file: string): OutboxState {
  const db = new Database(file, { readonly: true });
  try {
    const { events, unfanned, pending, failed, nextDueMs } = db
      .prepare(
        `select (select count(*) from events) as events,
           (select count(*) from events where fanned_out_at is null) as unfanned,
           (select count(*) from webhook_deliveries where status = 'pending') as pending,
           (select count(*) from webhook_deliveries where status = 'failed') as failed,
           (select min(next_attempt_at) from webhook_deliveries where status = 'pending') as nextDueMs`,
      )
      .get() as OutboxState;
    return { events, unfanned, pending, failed, nextDueMs };
  } finally {
    db.close();
  }
}

/**
 * Lets the running gateway deliver until its outbox is empty (every event fanned out, no delivery pending), or until
 * `deadlineMs`: a delivery whose attempt a kill cut short waits for its lease to run out (a minute) and is then
 * claimed again by the restarted gateway's dispatcher, which looks for due deliveries every second.
 */
export async function drainOutbox(file: string, deadlineMs: number, report: (state: OutboxState) => void) {
  const since = performance.now();
  let lastReport = 0;
  for (;;) {
    const state = outboxState(file);
    const elapsed = performance.now() - since;
    if ((state.unfanned === 0 && state.pending === 0) || elapsed > deadlineMs) return { ...state, ms: elapsed };
    if (elapsed - lastReport >= 10_000) {
      report(state);
      lastReport = elapsed;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
