import { first } from "../db/reader";
import type { Statement } from "../db/writer";
import type { Deps } from "../deps";
import { fanOutStatement, outboxInsert } from "../domain/outbox";
import { attemptTimeoutMs, disableAfterFailingMs, nextAttemptAt } from "./schedule";
import { signedHeaders } from "./signer";

type DispatchDeps = Pick<Deps, "reader" | "writer" | "clock" | "realClock" | "ids" | "log" | "webhookTransport">;

/** A delivery claimed by this dispatcher until `leaseId`'s lease runs out. */
export type ClaimedDelivery = { event_id: string; endpoint_id: string; attempts: number; lease_id: string };

/** Longer than an attempt can take, so a lease never runs out while its attempt is still being sent. */
const leaseMs = 4 * attemptTimeoutMs;

/**
 * Fans out events written without their deliveries (before the deliveries were written with the event, or by
 * a write that left them out). Safe to run concurrently and repeatedly: a delivery is keyed by (event, endpoint).
 */
export async function fanOutEvents(deps: DispatchDeps, limit = 200): Promise<number> {
  const events = await deps.reader.all<{ id: string }>(
    "select id from events where fanned_out_at is null order by created_at limit ?",
    [limit],
  );
  if (events.length === 0) return 0;
  const now = deps.clock.now().getTime();
  await deps.writer.write(
    events.flatMap((event): Statement[] => [
      fanOutStatement(event.id),
      { sql: "update events set fanned_out_at = ? where id = ?", args: [now, event.id] },
    ]),
  );
  return events.length;
}

/**
 * Claims the deliveries due now to enabled endpoints, with a lease: one UPDATE ... RETURNING, so of several
 * dispatchers (processes, isolates, cron runs) exactly one gets each attempt.
 */
export async function claimDueDeliveries(deps: DispatchDeps, limit = 50): Promise<ClaimedDelivery[]> {
  const now = deps.clock.now().getTime();
  const due = `status = 'pending' and next_attempt_at <= ? and (lease_until is null or lease_until <= ?)
    and endpoint_id in (select id from webhook_endpoints where status = 'enabled' and deleted_at is null)`;
  // A read first: an idle dispatcher then costs no write transaction.
  if (!(await first(deps.reader, `select 1 from webhook_deliveries where ${due} limit 1`, [now, now]))) return [];
  const leaseId = crypto.randomUUID();
  const [claimed] = await deps.writer.write([
    {
      sql: `update webhook_deliveries set lease_id = ?, lease_until = ?
            where rowid in (select rowid from webhook_deliveries where ${due} order by next_attempt_at limit ?)
            returning event_id, endpoint_id, attempts, lease_id`,
      args: [leaseId, now + leaseMs, now, now, limit],
    },
  ]);
  return (claimed ?? []).map((row) => ({
    event_id: String(row.event_id),
    endpoint_id: String(row.endpoint_id),
    attempts: Number(row.attempts),
    lease_id: String(row.lease_id),
  }));
}

type Target = {
  payload: string;
  url: string;
  partner_id: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  failing_since: number | null;
};

/**
 * Makes one attempt of a claimed delivery and records it in one atomic write: the attempt in the delivery
 * log, the delivery's next step (done, retry at the next point of the schedule, or failed for good) and the
 * endpoint's health. A 410 Gone, or 5 days of failures without a success, disables the endpoint and tells its
 * partner with a `webhook_endpoint.disabled` event.
 */
export async function attemptDelivery(deps: DispatchDeps, claim: ClaimedDelivery): Promise<void> {
  const target = await first<Target>(
    deps.reader,
    `select e.payload, w.url, w.partner_id, w.secret, w.previous_secret, w.previous_secret_expires_at, w.failing_since
     from events e, webhook_endpoints w where e.id = ? and w.id = ?`,
    [claim.event_id, claim.endpoint_id],
  );
  if (!target) return;
  const at = deps.clock.now();
  const secrets = [target.secret];
  if (target.previous_secret && (target.previous_secret_expires_at ?? 0) > at.getTime())
    secrets.push(target.previous_secret);

  const started = performance.now();
  let status: number | null = null;
  let excerpt: string | null = null;
  let error: string | null = null;
  try {
    const response = await deps.webhookTransport({
      url: target.url,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "coalition-gateway-webhooks/1",
        // Receivers check the signature's timestamp against real time, even when a sandbox's clock runs ahead.
        ...signedHeaders(secrets, { eventId: claim.event_id, at: deps.realClock.now(), payload: target.payload }),
      },
      body: target.payload,
      timeoutMs: attemptTimeoutMs,
    });
    status = response.status;
    excerpt = response.excerpt;
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  const durationMs = Math.round(performance.now() - started);
  const succeeded = status !== null && status >= 200 && status < 300;
  const attempt = claim.attempts + 1;
  const now = deps.clock.now();

  const statements: Statement[] = [
    {
      sql: `insert into webhook_attempts (id, event_id, endpoint_id, partner_id, attempt, outcome, response_status,
              response_excerpt, error, duration_ms, attempted_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        deps.ids("wha"),
        claim.event_id,
        claim.endpoint_id,
        target.partner_id,
        attempt,
        succeeded ? "succeeded" : "failed",
        status,
        excerpt,
        error,
        durationMs,
        at.getTime(),
      ],
    },
  ];
  const release = "lease_id = null, lease_until = null";
  const delivery = "where event_id = ? and endpoint_id = ? and lease_id = ?";
  const key = [claim.event_id, claim.endpoint_id, claim.lease_id];
  if (succeeded) {
    statements.push(
      {
        sql: `update webhook_deliveries set status = 'succeeded', attempts = ?, next_attempt_at = null, ${release} ${delivery}`,
        args: [attempt, ...key],
      },
      { sql: "update webhook_endpoints set failing_since = null where id = ?", args: [claim.endpoint_id] },
    );
  } else {
    const gone = status === 410;
    const next = gone ? null : nextAttemptAt(attempt, now);
    statements.push(
      {
        sql: `update webhook_deliveries set status = ?, attempts = ?, next_attempt_at = ?, ${release} ${delivery}`,
        args: [next ? "pending" : "failed", attempt, next?.getTime() ?? null, ...key],
      },
      {
        sql: "update webhook_endpoints set failing_since = coalesce(failing_since, ?) where id = ?",
        args: [at.getTime(), claim.endpoint_id],
      },
    );
    const failingSince = target.failing_since ?? at.getTime();
    if (gone || now.getTime() - failingSince >= disableAfterFailingMs)
      statements.push(...disableEndpoint(deps, claim.endpoint_id, target, gone ? "gone" : "failing", now));
  }
  await deps.writer.write(statements);
  deps.log(succeeded ? "info" : "warn", "webhook attempt", {
    event_id: claim.event_id,
    endpoint_id: claim.endpoint_id,
    attempt,
    status,
    error,
    duration_ms: durationMs,
  });
}

/** Disables an enabled endpoint and tells its partner, once even if several attempts decide it together. */
function disableEndpoint(
  deps: DispatchDeps,
  endpointId: string,
  target: Target,
  reason: "gone" | "failing",
  now: Date,
): Statement[] {
  const event = outboxInsert(
    {
      id: deps.ids("evt"),
      partnerId: target.partner_id,
      type: "webhook_endpoint.disabled",
      data: {
        endpoint_id: endpointId,
        url: target.url,
        reason,
        detail:
          reason === "gone"
            ? "The endpoint answered 410 Gone."
            : "Every attempt for 5 days failed; no delivery succeeded in that time.",
      },
      at: now,
    },
    [],
    { sql: "exists (select 1 from webhook_endpoints where id = ? and status = 'enabled')", args: [endpointId] },
  );
  return [
    ...event,
    {
      sql: `update webhook_endpoints set status = 'disabled', disabled_reason = ?, updated_at = ?
            where id = ? and status = 'enabled'`,
      args: [reason, now.getTime(), endpointId],
    },
  ];
}
