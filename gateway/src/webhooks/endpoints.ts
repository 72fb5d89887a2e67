import {
  findPartnerEndpoint,
  insertWebhookEndpoint,
  replaceWebhookSecret,
  updateWebhookEndpoint,
  type WebhookEndpoint,
} from "../db/queries/webhook-endpoints";
import type { Deps } from "../deps";
import type { EventType } from "../domain/outbox";
import { ApiError } from "../errors";
import { newWebhookSecret } from "./signer";
import { refuseTarget } from "./targets";

export type { WebhookEndpoint };

/** After a rotation the old secret keeps signing alongside the new one for this long. */
export const rotationOverlapMs = 24 * 3_600_000;

type EndpointDeps = Pick<Deps, "db" | "clock" | "ids" | "config">;

/** A 400 naming `url` when the URL may not receive webhooks (SSRF checks of ./targets.ts). */
function checkTarget(deps: EndpointDeps, url: string): void {
  const refused = refuseTarget(url, deps.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
  if (refused)
    throw new ApiError("validation_failed", `The endpoint URL ${refused}.`, {
      errors: [{ path: "url", message: refused }],
    });
}

export async function createEndpoint(
  deps: EndpointDeps,
  partnerId: string,
  input: { url: string; eventTypes: EventType[]; description: string | null },
): Promise<WebhookEndpoint> {
  checkTarget(deps, input.url);
  const now = deps.clock.now();
  const row: WebhookEndpoint = {
    id: deps.ids("whe"),
    partnerId,
    url: input.url,
    description: input.description,
    eventTypes: JSON.stringify([...new Set(input.eventTypes)]),
    status: "enabled",
    disabledReason: null,
    secret: newWebhookSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await insertWebhookEndpoint(deps.db, row);
  return row;
}

/** The partner's endpoint; another partner's, or a deleted one, is 404. */
export async function findEndpoint(deps: Pick<Deps, "db">, partnerId: string, id: string): Promise<WebhookEndpoint> {
  const row = await findPartnerEndpoint(deps.db, partnerId, id);
  if (!row) throw new ApiError("not_found", `No webhook endpoint ${id}.`);
  return row;
}

/**
 * Changes what was given. Enabling clears the failure streak, so a re-enabled endpoint gets its 5 days again;
 * its deliveries still pending resume.
 */
export async function updateEndpoint(
  deps: EndpointDeps,
  partnerId: string,
  id: string,
  input: { url?: string; eventTypes?: EventType[]; description?: string | null; status?: "enabled" | "disabled" },
): Promise<WebhookEndpoint> {
  const current = await findEndpoint(deps, partnerId, id);
  if (input.url !== undefined) checkTarget(deps, input.url);
  const changes: Partial<WebhookEndpoint> = { updatedAt: deps.clock.now() };
  if (input.url !== undefined) changes.url = input.url;
  if (input.eventTypes !== undefined) changes.eventTypes = JSON.stringify([...new Set(input.eventTypes)]);
  if (input.description !== undefined) changes.description = input.description;
  if (input.status === "enabled" && current.status !== "enabled")
    Object.assign(changes, { status: "enabled", disabledReason: null, failingSince: null });
  if (input.status === "disabled" && current.status !== "disabled")
    Object.assign(changes, { status: "disabled", disabledReason: "manual" });
  await updateWebhookEndpoint(deps.db, id, changes);
  return { ...current, ...changes };
}

/** Deletes the endpoint: nothing more is sent to it; its delivery log stays for the record. */
export async function deleteEndpoint(deps: EndpointDeps, partnerId: string, id: string): Promise<WebhookEndpoint> {
  const current = await findEndpoint(deps, partnerId, id);
  const deletedAt = deps.clock.now();
  await updateWebhookEndpoint(deps.db, id, { deletedAt, updatedAt: deletedAt });
  return { ...current, deletedAt, updatedAt: deletedAt };
}

/**
 * A new secret; the current one becomes the previous and keeps signing too for 24 hours, so receivers can
 * switch without dropping a delivery. A second rotation within the overlap replaces the previous secret.
 */
export async function rotateSecret(deps: EndpointDeps, partnerId: string, id: string): Promise<WebhookEndpoint> {
  const current = await findEndpoint(deps, partnerId, id);
  const now = deps.clock.now();
  const changes = {
    secret: newWebhookSecret(),
    previousSecret: current.secret,
    previousSecretExpiresAt: new Date(now.getTime() + rotationOverlapMs),
    updatedAt: now,
  };
  if (!(await replaceWebhookSecret(deps.db, id, current.secret, changes)))
    throw new ApiError(
      "conflict",
      "The secret was rotated by another request at the same time; read the endpoint and retry.",
    );
  return { ...current, ...changes };
}
