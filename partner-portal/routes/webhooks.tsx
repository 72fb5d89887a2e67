import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { constantTimeEqual, sha256Hex } from "../../gateway/src/auth/secrets";
import { listAttemptsPage } from "../../gateway/src/db/queries/webhook-attempts";
import { listWebhookEndpointsPage } from "../../gateway/src/db/queries/webhook-endpoints";
import { findDeliveryState, listEndpointHealthFacts } from "../../gateway/src/db/queries/webhook-health";
import type { EventType } from "../../gateway/src/domain/outbox";
import { ApiError } from "../../gateway/src/errors";
import {
  createEndpoint,
  findEndpoint,
  rotateSecret,
  updateEndpoint,
  type WebhookEndpoint,
} from "../../gateway/src/webhooks/endpoints";
import { endpointHealth } from "../../gateway/src/webhooks/health";
import { resendEvent } from "../../gateway/src/webhooks/resend";
import { refuseTarget } from "../../gateway/src/webhooks/targets";
import { sendTestEvent } from "../../gateway/src/webhooks/test-event";
import { createPortalRouter, type PortalEnv, partnerOf, requireRole } from "../context";
import { verifiedForm } from "../form";
import type { MessageKey } from "../i18n";
import {
  type CreateForm,
  DeliveriesPage,
  type DeliveriesProps,
  subscribableTypes,
  type UrlProblem,
  WebhooksPage,
} from "../pages/webhooks";
import { renderPage } from "../render";
import { sessionCookie } from "../session";

/**
 * The partner's webhook endpoints, their health and delivery log, and what an admin does with them: add one,
 * send it a test event, resend an event, disable or enable it, rotate its secret. Every POST goes through the
 * same domain functions as the API and answers 303, so a reload repeats nothing.
 */
export const webhookRoutes = createPortalRouter()
  .get("/webhooks", requireRole("admin"), (c) => listPage(c))
  .post("/webhooks", requireRole("admin"), async (c) => {
    const fields = await verifiedForm(c);
    const form = readCreateForm(fields);
    const problems = checkCreateForm(form, c.var.deps.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    if (problems.url || problems.eventTypes || problems.description) return listPage(c, { form, problems }, 400);
    let created: Awaited<ReturnType<typeof createEndpoint>>;
    try {
      created = await createEndpoint(c.var.deps, partnerOf(c), {
        url: form.url,
        eventTypes: form.eventTypes as EventType[],
        description: form.description || null,
      });
    } catch (error) {
      const url = refusedUrl(error);
      if (!url) throw error;
      return listPage(c, { form, problems: { url } }, 400);
    }
    revealOnce(c, created, "created");
    return c.redirect(`/portal/webhooks/${created.id}`, 303);
  })
  .get("/webhooks/:id", requireRole("admin"), async (c) => {
    const { deps } = c.var;
    const partnerId = partnerOf(c);
    const endpoint = await findEndpoint(deps, partnerId, c.req.param("id"));
    const failedOnly = c.req.query("outcome") === "failed";
    const after = c.req.query("after");
    const [facts, log, secret, test] = await Promise.all([
      listEndpointHealthFacts(deps.reader, partnerId, endpoint.id),
      listAttemptsPage(deps.db, endpoint.id, {
        limit: 50,
        starting_after: after || undefined,
        outcome: failedOnly ? "failed" : undefined,
      }),
      takeReveal(c, endpoint),
      testOutcome(c, endpoint.id),
    ]);
    const props: DeliveriesProps = {
      endpoint,
      health: endpointHealth(endpoint, facts.get(endpoint.id)),
      attempts: log.data.map(({ attempt, eventType }) => ({ ...attempt, eventType })),
      olderAfter: log.has_more ? log.data.at(-1)?.attempt.id : undefined,
      failedOnly,
      secret,
      notice: notice(c),
      test,
    };
    // The page may hold a secret shown once: no cache keeps it.
    c.header("Cache-Control", "no-store");
    return renderPage(c, <DeliveriesPage {...props} />);
  })
  .post("/webhooks/:id/status", requireRole("admin"), async (c) => {
    const fields = await verifiedForm(c);
    const status = fields.status === "enabled" ? "enabled" : "disabled";
    const endpoint = await updateEndpoint(c.var.deps, partnerOf(c), c.req.param("id"), { status });
    return c.redirect(`/portal/webhooks/${endpoint.id}?done=${status}`, 303);
  })
  .post("/webhooks/:id/rotate", requireRole("admin"), async (c) => {
    await verifiedForm(c);
    const endpoint = await rotateSecret(c.var.deps, partnerOf(c), c.req.param("id"));
    revealOnce(c, endpoint, "rotated");
    return c.redirect(`/portal/webhooks/${endpoint.id}`, 303);
  })
  .post("/webhooks/:id/test", requireRole("admin"), async (c) => {
    await verifiedForm(c);
    const sent = await sendTestEvent(c.var.deps, partnerOf(c), c.req.param("id"));
    // The attempt is made now and waited for (up to the 15 s a receiver has), so the page can say how it went.
    await c.var.deps.webhooks.deliver();
    return c.redirect(`/portal/webhooks/${sent.endpointId}?test=${encodeURIComponent(sent.eventId)}`, 303);
  })
  .post("/webhooks/:id/events/:eventId/resend", requireRole("admin"), async (c) => {
    await verifiedForm(c);
    const endpointId = c.req.param("id");
    const eventId = c.req.param("eventId");
    await resendEvent(c.var.deps, { partnerId: partnerOf(c), eventId, endpointId });
    deliverSoon(c);
    const back = new URLSearchParams({ done: "resent", event: eventId });
    return c.redirect(`/portal/webhooks/${endpointId}?${back}`, 303);
  });

/** The list of endpoints with their health, and the form that adds one (with its problems after a refused POST). */
async function listPage(
  c: Context<PortalEnv>,
  create: { form: CreateForm; problems: CreateProblems } = { form: emptyForm, problems: {} },
  status: 200 | 400 = 200,
) {
  const { deps } = c.var;
  const partnerId = partnerOf(c);
  const [{ data }, facts] = await Promise.all([
    listWebhookEndpointsPage(deps.db, partnerId, { limit: 100 }),
    listEndpointHealthFacts(deps.reader, partnerId),
  ]);
  const endpoints = data.map((endpoint) => ({ endpoint, health: endpointHealth(endpoint, facts.get(endpoint.id)) }));
  return renderPage(c, <WebhooksPage endpoints={endpoints} form={create.form} problems={create.problems} />, status);
}

type CreateProblems = { url?: UrlProblem; eventTypes?: true; description?: true };

const emptyForm: CreateForm = { url: "", description: "", eventTypes: [] };

function readCreateForm(fields: Record<string, string | undefined>): CreateForm {
  // Checkboxes of one name arrive as several fields; formFields keeps text fields by name, so each type has its own.
  const chosen = subscribableTypes.filter((type) => fields[`type:${type}`] !== undefined);
  return { url: (fields.url ?? "").trim(), description: (fields.description ?? "").trim(), eventTypes: chosen };
}

/**
 * The API's limits on the body (routes/webhook-endpoints/create.ts) and the domain's URL checks, all at once so
 * every field at fault is marked; createEndpoint checks the URL again.
 */
function checkCreateForm(form: CreateForm, allowPrivate: boolean): CreateProblems {
  const problems: CreateProblems = {};
  const refused = refuseTarget(form.url, allowPrivate);
  if (form.url === "") problems.url = "required";
  else if (form.url.length > 2048) problems.url = "tooLong";
  else if (refused) problems.url = urlProblem(refused);
  if (form.eventTypes.length === 0) problems.eventTypes = true;
  if (form.description.length > 500) problems.description = true;
  return problems;
}

/** The domain's refusal of a URL (webhooks/targets.ts), as the words the form shows. */
function refusedUrl(error: unknown): UrlProblem | undefined {
  if (!(error instanceof ApiError) || error.code !== "validation_failed") return undefined;
  const message = error.options.errors?.find((field) => field.path === "url")?.message;
  return message === undefined ? undefined : urlProblem(message);
}

/** Which of the form's words fits a refusal of ../../gateway/src/webhooks/targets.ts. */
function urlProblem(message: string): UrlProblem {
  if (message.includes("https")) return "https";
  if (message.includes("credentials")) return "credentials";
  if (message.includes("fragment")) return "fragment";
  if (message.includes("private")) return "private";
  return "invalid";
}

/**
 * A new or rotated secret is shown once, on the page the POST redirects to, and never in a URL. The secret is
 * not carried at all: the endpoint's row holds it (it signs every delivery). A short-lived cookie, only for that
 * page's path, carries a ticket: the SHA-256 of the session's cookie token (which the database does not hold),
 * the endpoint and the secret just made. The page shows the endpoint's secret only when the ticket matches it
 * (another session, or a later rotation, does not), and deletes the cookie as it reads it: a reload shows nothing.
 */
const revealCookie = "cg_webhook_reveal";
type RevealKind = "created" | "rotated";

const revealTicket = (c: Context<PortalEnv>, endpointId: string, kind: RevealKind, secret: string) =>
  `${kind}.${sha256Hex(["webhook secret reveal", getCookie(c, sessionCookie) ?? "", endpointId, kind, secret].join("\n"))}`;

function revealOnce(c: Context<PortalEnv>, endpoint: WebhookEndpoint, kind: RevealKind) {
  setCookie(c, revealCookie, revealTicket(c, endpoint.id, kind, endpoint.secret), {
    path: `/portal/webhooks/${endpoint.id}`,
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: 300,
  });
}

function takeReveal(c: Context<PortalEnv>, endpoint: WebhookEndpoint): DeliveriesProps["secret"] {
  const ticket = getCookie(c, revealCookie);
  if (!ticket) return undefined;
  deleteCookie(c, revealCookie, { path: `/portal/webhooks/${endpoint.id}`, secure: true });
  const kind = ticket.startsWith("rotated.") ? "rotated" : "created";
  return constantTimeEqual(ticket, revealTicket(c, endpoint.id, kind, endpoint.secret))
    ? { kind, value: endpoint.secret }
    : undefined;
}

/** The confirmation a redirect asked for (`?done=`), in words. */
function notice(c: Context<PortalEnv>): { key: MessageKey; event?: string } | undefined {
  const done = c.req.query("done");
  if (done === "enabled") return { key: "webhooks.enabledNotice" };
  if (done === "disabled") return { key: "webhooks.disabledNotice" };
  if (done === "resent") return { key: "webhooks.resent", event: c.req.query("event") ?? "" };
  return undefined;
}

/** How the test event named by `?test=` went: its last attempt to this endpoint, or pending. */
async function testOutcome(c: Context<PortalEnv>, endpointId: string): Promise<DeliveriesProps["test"]> {
  const eventId = c.req.query("test");
  if (!eventId) return undefined;
  const { deps } = c.var;
  const state = await findDeliveryState(deps.reader, eventId, endpointId);
  if (!state) return undefined;
  const [last] = (await listAttemptsPage(deps.db, endpointId, { limit: 1, event_id: eventId })).data;
  return { eventId, attempt: last?.attempt };
}

/** Starts the resent delivery without holding the answer: after the response on Workers, in the background on Node. */
function deliverSoon(c: Context<PortalEnv>) {
  const { webhooks } = c.var.deps;
  try {
    c.executionCtx.waitUntil(webhooks.deliver());
  } catch {
    webhooks.kick();
  }
}
