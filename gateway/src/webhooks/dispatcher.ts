import {
  type ClaimedDelivery,
  type DeliveryTarget,
  deliveryFailedStatements,
  deliverySucceededStatements,
  disableEndpointStatement,
  endpointEnabled,
  findDeliveryTarget,
  hasDueDelivery,
  leaseDueDeliveries,
  listUnfannedEventIds,
  markFannedOutStatement,
} from "../db/queries/deliveries";
import { fanOutStatement, outboxInsert } from "../db/queries/outbox";
import { insertAttemptStatement } from "../db/queries/webhook-attempts";
import type { Statement } from "../db/writer";
import type { Deps } from "../deps";
import { attemptTimeoutMs, disableAfterFailingMs, nextAttemptAt } from "./schedule";
import { signedHeaders } from "./signer";

type DispatchDeps = Pick<Deps, "reader" | "writer" | "clock" | "realClock" | "ids" | "log" | "webhookTransport">;

/** Longer than an attempt can take, so a lease never runs out while its attempt is still being sent. */
const leaseMs = 4 * attemptTimeoutMs;

/**
 * Fans out events written without their deliveries (before the deliveries were written with the event, or by
 * a write that left them out). Safe to run concurrently and repeatedly: a delivery is keyed by (event, endpoint).
 */
export async function fanOutEvents(deps: DispatchDeps, limit = 200): Promise<number> {
  const eventIds = await listUnfannedEventIds(deps.reader, limit);
  if (eventIds.length === 0) return 0;
  const now = deps.clock.now();
  await deps.writer.write(
    eventIds.flatMap((id): Statement[] => [fanOutStatement(id), markFannedOutStatement(id, now)]),
  );
  return eventIds.length;
}

/**
 * Claims the deliveries due now to enabled endpoints, with a lease: one UPDATE ... RETURNING, so of several
 * dispatchers (processes, isolates, cron runs) exactly one gets each attempt.
 */
export async function claimDueDeliveries(deps: DispatchDeps, limit = 50): Promise<ClaimedDelivery[]> {
  const now = deps.clock.now();
  if (!(await hasDueDelivery(deps.reader, now))) return [];
  return leaseDueDeliveries(deps.writer, {
    id: crypto.randomUUID(),
    now,
    until: new Date(now.getTime() + leaseMs),
    limit,
  });
}

/**
 * Makes one attempt of a claimed delivery and records it in one atomic write: the attempt in the delivery
 * log, the delivery's next step (done, retry at the next point of the schedule, or failed for good) and the
 * endpoint's health. A 410 Gone, or 5 days of failures without a success, disables the endpoint and tells its
 * partner with a `webhook_endpoint.disabled` event.
 */
export async function attemptDelivery(deps: DispatchDeps, claim: ClaimedDelivery): Promise<void> {
  const target = await findDeliveryTarget(deps.reader, claim.eventId, claim.endpointId);
  if (!target) return;
  const at = deps.clock.now();
  const secrets = [target.secret];
  if (target.previousSecret && (target.previousSecretExpiresAt?.getTime() ?? 0) > at.getTime())
    secrets.push(target.previousSecret);

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
        ...signedHeaders(secrets, { eventId: claim.eventId, at: deps.realClock.now(), payload: target.payload }),
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
    insertAttemptStatement({
      id: deps.ids("wha"),
      eventId: claim.eventId,
      endpointId: claim.endpointId,
      partnerId: target.partnerId,
      attempt,
      outcome: succeeded ? "succeeded" : "failed",
      responseStatus: status,
      responseExcerpt: excerpt,
      error,
      durationMs,
      attemptedAt: at,
    }),
  ];
  if (succeeded) statements.push(...deliverySucceededStatements(claim, attempt));
  else {
    const gone = status === 410;
    statements.push(...deliveryFailedStatements(claim, attempt, gone ? null : nextAttemptAt(attempt, now), at));
    const failingSince = target.failingSince?.getTime() ?? at.getTime();
    if (gone || now.getTime() - failingSince >= disableAfterFailingMs)
      statements.push(...disableEndpoint(deps, claim.endpointId, target, gone ? "gone" : "failing", now));
  }
  await deps.writer.write(statements);
  deps.log(succeeded ? "info" : "warn", "webhook attempt", {
    event_id: claim.eventId,
    endpoint_id: claim.endpointId,
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
  target: DeliveryTarget,
  reason: "gone" | "failing",
  now: Date,
): Statement[] {
  const event = outboxInsert(
    {
      id: deps.ids("evt"),
      partnerId: target.partnerId,
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
    endpointEnabled(endpointId),
  );
  return [...event, disableEndpointStatement(endpointId, reason, now)];
}
