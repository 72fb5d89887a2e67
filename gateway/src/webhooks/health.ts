import type { WebhookEndpoint } from "../db/queries/webhook-endpoints";
import type { EndpointHealthFacts } from "../db/queries/webhook-health";
import { disableAfterFailingMs } from "./schedule";

export type { EndpointHealthFacts };

/**
 * An endpoint's health as a partner wants to read it, derived from the endpoint and its delivery rows:
 * - `healthy`: enabled, and its last attempt did not fail;
 * - `failing`: enabled, every attempt since `since` failed (`failed` of `attempts`); unless one succeeds, the
 *   first failure after `disablesAt` disables it (the 5-day rule of ./dispatcher.ts);
 * - `disabled`: with its reason and, when known, when (the dispatcher's event, or the endpoint's last change
 *   for one disabled by hand).
 * `nextRetryAt` is the earliest pending delivery (none while disabled: they wait for it to be enabled).
 */
export type EndpointHealth =
  | { state: "healthy"; lastSuccessAt: Date | null; nextRetryAt: Date | null; pending: number }
  | {
      state: "failing";
      since: Date;
      failed: number;
      attempts: number;
      lastSuccessAt: Date | null;
      nextRetryAt: Date | null;
      disablesAt: Date;
      pending: number;
    }
  | {
      state: "disabled";
      reason: "manual" | "gone" | "failing";
      disabledAt: Date;
      lastSuccessAt: Date | null;
      pending: number;
    };

const noFacts = (endpointId: string): EndpointHealthFacts => ({
  endpointId,
  attemptsSinceFailing: 0,
  failedSinceFailing: 0,
  lastSuccessAt: null,
  nextAttemptAt: null,
  pendingDeliveries: 0,
  disabledEventAt: null,
});

/** The health of `endpoint` from its facts (db/queries/webhook-health.ts). */
export function endpointHealth(endpoint: WebhookEndpoint, facts = noFacts(endpoint.id)): EndpointHealth {
  const { lastSuccessAt, pendingDeliveries: pending } = facts;
  if (endpoint.status === "disabled")
    return {
      state: "disabled",
      reason: endpoint.disabledReason ?? "manual",
      disabledAt: (endpoint.disabledReason !== "manual" && facts.disabledEventAt) || endpoint.updatedAt,
      lastSuccessAt,
      pending,
    };
  if (endpoint.failingSince)
    return {
      state: "failing",
      since: endpoint.failingSince,
      failed: facts.failedSinceFailing,
      attempts: facts.attemptsSinceFailing,
      lastSuccessAt,
      nextRetryAt: facts.nextAttemptAt,
      disablesAt: new Date(endpoint.failingSince.getTime() + disableAfterFailingMs),
      pending,
    };
  return { state: "healthy", lastSuccessAt, nextRetryAt: facts.nextAttemptAt, pending };
}

/** Why an attempt got no answer, in kinds a person can be told about (the raw text stays in the log). */
export type AttemptErrorKind = "timeout" | "refused" | "reset" | "dns" | "tls" | "blocked" | "unreachable" | "other";

const errorKinds: [RegExp, AttemptErrorKind][] = [
  [/TargetRefused|private, loopback or reserved|private or local host|^The endpoint URL /i, "blocked"],
  [/no answer within|timeout|timed out|aborted/i, "timeout"],
  [/ECONNREFUSED|connection refused/i, "refused"],
  [/ECONNRESET|socket hang up|connection (was )?(reset|lost|closed)|EPIPE/i, "reset"],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo|did not resolve|DNS/i, "dns"],
  [/certificate|CERT_|SSL|TLS|self[- ]signed/i, "tls"],
  [/EHOSTUNREACH|ENETUNREACH|unreachable/i, "unreachable"],
];

/** The kind of a stored attempt error (`error` of the delivery log), as the transports word them. */
export function attemptErrorKind(error: string): AttemptErrorKind {
  return errorKinds.find(([pattern]) => pattern.test(error))?.[1] ?? "other";
}

/** Standard reason phrases of the statuses receivers answer most, as the delivery log shows them. */
const reasonPhrases: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** "500 Internal Server Error", or just "599" for a status without a standard phrase. */
export const statusLine = (status: number) => `${status}${reasonPhrases[status] ? ` ${reasonPhrases[status]}` : ""}`;
