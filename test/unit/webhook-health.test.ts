import { describe, expect, it } from "vitest";
import type { WebhookEndpoint } from "../../gateway/src/db/queries/webhook-endpoints";
import { attemptErrorKind, endpointHealth, statusLine } from "../../gateway/src/webhooks/health";

const at = (iso: string) => new Date(iso);
const endpoint = (changes: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: "whe_1",
  partnerId: "ptn_1",
  url: "https://hooks.example.com/in",
  description: null,
  eventTypes: '["points.earned"]',
  status: "enabled",
  disabledReason: null,
  secret: "whsec_x",
  previousSecret: null,
  previousSecretExpiresAt: null,
  failingSince: null,
  deletedAt: null,
  createdAt: at("2026-11-01T00:00:00Z"),
  updatedAt: at("2026-11-10T09:00:00Z"),
  ...changes,
});
const facts = {
  endpointId: "whe_1",
  attemptsSinceFailing: 7,
  failedSinceFailing: 7,
  lastSuccessAt: at("2026-11-12T13:00:00Z"),
  nextAttemptAt: at("2026-11-13T00:35:00Z"),
  pendingDeliveries: 3,
  disabledEventAt: at("2026-11-17T14:10:00Z"),
};

describe("endpoint health", () => {
  it("is healthy without a failure streak, with its last success and next retry", () => {
    expect(endpointHealth(endpoint(), facts)).toEqual({
      state: "healthy",
      lastSuccessAt: facts.lastSuccessAt,
      nextRetryAt: facts.nextAttemptAt,
      pending: 3,
    });
  });

  it("is failing N of N since the streak began, and is disabled 5 days after it began if failures continue", () => {
    const health = endpointHealth(endpoint({ failingSince: at("2026-11-12T14:05:00Z") }), facts);
    expect(health).toMatchObject({ state: "failing", failed: 7, attempts: 7, since: at("2026-11-12T14:05:00Z") });
    expect(health.state === "failing" && health.disablesAt).toEqual(at("2026-11-17T14:05:00Z"));
  });

  it("says when and why it was disabled: the dispatcher's event, or the last change for a manual disable", () => {
    const failing = endpoint({
      status: "disabled",
      disabledReason: "failing",
      failingSince: at("2026-11-12T14:05:00Z"),
    });
    expect(endpointHealth(failing, facts)).toMatchObject({
      state: "disabled",
      reason: "failing",
      disabledAt: facts.disabledEventAt,
    });
    const manual = endpoint({ status: "disabled", disabledReason: "manual" });
    expect(endpointHealth(manual, facts)).toMatchObject({ reason: "manual", disabledAt: at("2026-11-10T09:00:00Z") });
  });
});

describe("attempt errors in plain words", () => {
  it("sorts the transports' errors into kinds a person can be told about", () => {
    expect(attemptErrorKind("no answer within 15000 ms")).toBe("timeout");
    expect(attemptErrorKind("The operation was aborted due to timeout")).toBe("timeout");
    expect(attemptErrorKind("connect ECONNREFUSED 127.0.0.1:9")).toBe("refused");
    expect(attemptErrorKind("socket hang up")).toBe("reset");
    expect(attemptErrorKind("getaddrinfo ENOTFOUND hooks.partner.invalid")).toBe("dns");
    expect(attemptErrorKind("unable to verify the first certificate")).toBe("tls");
    expect(attemptErrorKind("hooks.example resolves to 10.0.0.8, a private, loopback or reserved address.")).toBe(
      "blocked",
    );
    expect(attemptErrorKind("something else entirely")).toBe("other");
  });

  it("names a status with its reason phrase when it has a standard one", () => {
    expect(statusLine(500)).toBe("500 Internal Server Error");
    expect(statusLine(410)).toBe("410 Gone");
    expect(statusLine(599)).toBe("599");
  });
});
