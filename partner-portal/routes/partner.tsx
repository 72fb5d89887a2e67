import type { Context } from "hono";
import { partnerScopes } from "../../gateway/src/auth/scopes";
import { listStatementsPage } from "../../gateway/src/db/queries/settlements";
import { listAttemptsPage } from "../../gateway/src/db/queries/webhook-attempts";
import { listWebhookEndpointsPage } from "../../gateway/src/db/queries/webhook-endpoints";
import { rotateCredential } from "../../gateway/src/domain/credential-rotation";
import { partnerDashboard } from "../../gateway/src/domain/kpis";
import { addCredential, partnerCredentials } from "../../gateway/src/domain/partners";
import { statementFile } from "../../gateway/src/domain/settlement/file";
import { findStatement } from "../../gateway/src/domain/settlement/find";
import { ApiError } from "../../gateway/src/errors";
import { findEndpoint } from "../../gateway/src/webhooks/endpoints";
import { createPortalRouter, type PortalEnv, requireRole, sessionOf } from "../context";
import { verifiedForm } from "../form";
import { CredentialsPage } from "../pages/credentials";
import { DashboardPage } from "../pages/dashboard";
import { StatementPage, StatementsPage } from "../pages/statements";
import { DeliveriesPage, WebhooksPage } from "../pages/webhooks";
import { renderPage } from "../render";

/** The signed-in manager's partner (the operator has none). */
const partnerOf = (c: Context<PortalEnv>) => {
  const { partnerId } = sessionOf(c);
  if (!partnerId) throw new ApiError("forbidden", "This page is for partner users.");
  return partnerId;
};

/** Pages of a partner's managers: every role reads; finance and admin download; admin manages. */
export const partnerRoutes = createPortalRouter()
  .get("/dashboard", requireRole("admin", "finance", "viewer"), async (c) =>
    renderPage(c, <DashboardPage programs={await partnerDashboard(c.var.deps, partnerOf(c))} />),
  )
  .get("/statements", requireRole("admin", "finance", "viewer"), async (c) => {
    const { data } = await listStatementsPage(c.var.deps.db, { limit: 200 }, { partnerId: partnerOf(c) });
    const summaries = data.map(({ statement, period }) => ({
      id: statement.id,
      start: period.start,
      end: period.end,
      currency: statement.currency,
      netAmountMinor: statement.netAmountMinor,
      createdAt: statement.createdAt,
    }));
    return renderPage(c, <StatementsPage statements={summaries} />);
  })
  .get("/statements/:file{stm_[0-9a-z]+\\.(?:csv|pdf)}", requireRole("admin", "finance"), async (c) => {
    const file = c.req.param("file");
    const format = file.endsWith(".csv") ? "csv" : "pdf";
    const statement = await findStatement(c.var.deps, file.slice(0, -4), partnerOf(c));
    const download = await statementFile(statement, format);
    return c.body(download.body, 200, download.headers);
  })
  .get("/statements/:id{stm_[0-9a-z]+}", requireRole("admin", "finance", "viewer"), async (c) => {
    const statement = await findStatement(c.var.deps, c.req.param("id"), partnerOf(c));
    return renderPage(c, <StatementPage statement={statement} />);
  })
  .get("/webhooks", requireRole("admin"), async (c) => {
    const { data } = await listWebhookEndpointsPage(c.var.deps.db, partnerOf(c), { limit: 100 });
    return renderPage(c, <WebhooksPage endpoints={data} />);
  })
  .get("/webhooks/:id", requireRole("admin"), async (c) => {
    const { deps } = c.var;
    const endpoint = await findEndpoint(deps, partnerOf(c), c.req.param("id"));
    const attempts = await listAttemptsPage(deps.db, endpoint.id, { limit: 100 });
    return renderPage(c, <DeliveriesPage endpoint={endpoint} attempts={attempts.data.map(({ attempt }) => attempt)} />);
  })
  .get("/credentials", requireRole("admin"), async (c) => {
    const credentials = await partnerCredentials(c.var.deps.db, partnerOf(c));
    return renderPage(c, <CredentialsPage credentials={credentials} />);
  })
  .post("/credentials", requireRole("admin"), async (c) => {
    await verifiedForm(c);
    const partnerId = partnerOf(c);
    const { credential, secret } = await addCredential(c.var.deps, partnerId, partnerScopes);
    const credentials = await partnerCredentials(c.var.deps.db, partnerId);
    const created = { clientId: credential.clientId, secret };
    return renderPage(c, <CredentialsPage credentials={credentials} created={created} />, 201);
  })
  .post("/credentials/:clientId/rotate", requireRole("admin"), async (c) => {
    await verifiedForm(c);
    const partnerId = partnerOf(c);
    // The old credential is revoked at once: the portal offers no grace period (yet).
    const { credential, secret } = await rotateCredential(c.var.deps, { partnerId, clientId: c.req.param("clientId") });
    const credentials = await partnerCredentials(c.var.deps.db, partnerId);
    const created = { clientId: credential.clientId, secret };
    return renderPage(c, <CredentialsPage credentials={credentials} created={created} />);
  });
