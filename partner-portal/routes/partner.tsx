import { and, desc, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { partnerScopes } from "../../gateway/src/auth/scopes";
import {
  programs,
  settlementPeriods,
  statements,
  webhookAttempts,
  webhookEndpoints,
} from "../../gateway/src/db/schema";
import { programKpis } from "../../gateway/src/domain/kpis";
import { addCredential, partnerCredentials, revokeCredential } from "../../gateway/src/domain/partners";
import { statementFile } from "../../gateway/src/domain/settlement/file";
import { findStatement } from "../../gateway/src/domain/settlement/find";
import { ApiError } from "../../gateway/src/errors";
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
  .get("/dashboard", requireRole("admin", "finance", "viewer"), async (c) => {
    const { deps } = c.var;
    const owned = await deps.db
      .select()
      .from(programs)
      .where(eq(programs.partnerId, partnerOf(c)));
    const kpis = await Promise.all(
      owned.map((program) =>
        programKpis(
          deps.reader,
          { id: program.id, name: program.name, currency: program.settlementCurrency, ownerId: program.partnerId },
          deps.clock.now(),
        ),
      ),
    );
    return renderPage(c, <DashboardPage programs={kpis} />);
  })
  .get("/statements", requireRole("admin", "finance", "viewer"), async (c) => {
    const rows = await c.var.deps.db
      .select({ statement: statements, period: settlementPeriods })
      .from(statements)
      .innerJoin(settlementPeriods, eq(settlementPeriods.id, statements.periodId))
      .where(eq(statements.partnerId, partnerOf(c)))
      .orderBy(desc(statements.id))
      .limit(200);
    const summaries = rows.map(({ statement, period }) => ({
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
    const endpoints = await c.var.deps.db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.partnerId, partnerOf(c)), isNull(webhookEndpoints.deletedAt)))
      .orderBy(desc(webhookEndpoints.id));
    return renderPage(c, <WebhooksPage endpoints={endpoints} />);
  })
  .get("/webhooks/:id", requireRole("admin"), async (c) => {
    const { db } = c.var.deps;
    const endpoint = await db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, c.req.param("id")), eq(webhookEndpoints.partnerId, partnerOf(c))))
      .get();
    if (!endpoint) throw new ApiError("not_found", `No webhook endpoint ${c.req.param("id")}.`);
    const attempts = await db
      .select()
      .from(webhookAttempts)
      .where(eq(webhookAttempts.endpointId, endpoint.id))
      .orderBy(desc(webhookAttempts.id))
      .limit(100);
    return renderPage(c, <DeliveriesPage endpoint={endpoint} attempts={attempts} />);
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
    // Rotation: a new pair with the same scopes, and the old one revoked at once.
    const old = (await partnerCredentials(c.var.deps.db, partnerId)).find(
      (x) => x.clientId === c.req.param("clientId"),
    );
    if (!old) throw new ApiError("not_found", `No credential ${c.req.param("clientId")}.`);
    const { credential, secret } = await addCredential(c.var.deps, partnerId, old.scopes.split(" "));
    await revokeCredential(c.var.deps, partnerId, old.clientId);
    const credentials = await partnerCredentials(c.var.deps.db, partnerId);
    const created = { clientId: credential.clientId, secret };
    return renderPage(c, <CredentialsPage credentials={credentials} created={created} />);
  });
