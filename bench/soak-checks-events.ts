import type Database from "libsql";
import type { Checks } from "./soak-check";
import type { Receiver } from "./soak-receiver";

/** Each kind of committed movement, the rows that are one, and the event type that announces it (data.id = the row's id). */
const movements = [
  { event: "points.earned", rows: "select id from ledger_transactions where type = 'earn'" },
  {
    event: "points.burned",
    rows: "select t.id from ledger_transactions t where t.type = 'burn' and not exists (select 1 from redemptions d where d.transaction_id = t.id)",
  },
  { event: "points.reversed", rows: "select id from ledger_transactions where type = 'reversal'" },
  { event: "conversion.completed", rows: "select id from conversions where status = 'completed'" },
  { event: "redemption.created", rows: "select id from redemptions" },
  { event: "points.transferred", rows: "select id from transfers where status = 'completed'" },
];

/** What the outbox and the receiver say about delivery, for the report. */
export type Delivery = {
  events: number;
  deliveries: Record<string, number>;
  attempts: number;
  failedAttempts: number;
  /** Why attempts failed: the receiver's status or the transport's error, with how many. */
  failures: { why: string; n: number }[];
  retriedDeliveries: number;
};

/**
 * Every committed movement has its event in the outbox (PRODUCT.md 5), and every event was delivered at least once
 * to the receiver with a valid signature: each event id the receiver verified, each delivery succeeded.
 */
export function checkEvents(db: Database.Database, receiver: Receiver, checks: Checks): Delivery {
  // The events' subjects, indexed, in the connection's temp schema: the file itself is not written.
  db.exec(`create temp table event_refs as select type, json_extract(payload, '$.data.id') as ref from events;
           create index temp.event_refs_ref on event_refs (ref, type)`);
  const announced = checks.add("every committed movement has its event");
  for (const movement of movements) {
    const total = (db.prepare(`select count(*) as n from (${movement.rows})`).get() as { n: number }).n;
    const missing = db
      .prepare(
        `select m.id from (${movement.rows}) m where not exists (select 1 from event_refs e where e.ref = m.id and e.type = ?)`,
      )
      .all(movement.event) as { id: string }[];
    announced.rows(total, missing, (row) => `${row.id}: no ${movement.event} event`);
  }

  const delivered = checks.add("every event delivered at least once (its id verified by the receiver)");
  const events = db
    .prepare(
      `select e.id, e.partner_id, e.type, d.status, d.attempts from events e
       left join webhook_deliveries d on d.event_id = e.id`,
    )
    .iterate() as IterableIterator<{
    id: string;
    partner_id: string;
    type: string;
    status: string | null;
    attempts: number | null;
  }>;
  let count = 0;
  for (const event of events) {
    count += 1;
    delivered.see(
      receiver.received.has(event.id),
      () =>
        `${event.id} (${event.type} to ${event.partner_id}): delivery ${event.status ?? "none"} after ${event.attempts ?? 0} attempt(s)`,
    );
  }
  checks
    .add("every delivery's signature verified")
    .tally(receiver.stats.deliveries + receiver.stats.rejected, receiver.stats.rejected, receiver.stats.rejections);

  const deliveries = Object.fromEntries(
    (
      db.prepare("select status, count(*) as n from webhook_deliveries group by status").all() as {
        status: string;
        n: number;
      }[]
    ).map((row) => [row.status, row.n]),
  );
  const attempts = db
    .prepare("select count(*) as n, coalesce(sum(outcome = 'failed'), 0) as failed from webhook_attempts")
    .get() as { n: number; failed: number };
  const failures = db
    .prepare(
      `select coalesce('status ' || response_status, error) as why, count(*) as n from webhook_attempts
       where outcome = 'failed' group by why order by n desc limit 5`,
    )
    .all() as { why: string; n: number }[];
  const retried = db.prepare("select count(*) as n from webhook_deliveries where attempts > 1").get() as { n: number };
  return {
    events: count,
    deliveries,
    attempts: attempts.n,
    failedAttempts: attempts.failed,
    failures,
    retriedDeliveries: retried.n,
  };
}
