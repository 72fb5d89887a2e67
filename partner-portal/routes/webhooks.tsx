import { listAttemptsPage } from "../../gateway/src/db/queries/webhook-attempts";
import { listWebhookEndpointsPage } from "../../gateway/src/db/queries/webhook-endpoints";
import { findEndpoint } from "../../gateway/src/webhooks/endpoints";
import { createPortalRouter, partnerOf, requireRole } from "../context";
import { DeliveriesPage, WebhooksPage } from "../pages/webhooks";
import { renderPage } from "../render";

/** The partner's webhook endpoints and their deliveries: admins only. */
export const webhookRoutes = createPortalRouter()
  .get("/webhooks", requireRole("admin"), async (c) => {
    const { data } = await listWebhookEndpointsPage(c.var.deps.db, partnerOf(c), { limit: 100 });
    return renderPage(c, <WebhooksPage endpoints={data} />);
  })
  .get("/webhooks/:id", requireRole("admin"), async (c) => {
    const { deps } = c.var;
    const endpoint = await findEndpoint(deps, partnerOf(c), c.req.param("id"));
    const attempts = await listAttemptsPage(deps.db, endpoint.id, { limit: 100 });
    return renderPage(c, <DeliveriesPage endpoint={endpoint} attempts={attempts.data.map(({ attempt }) => attempt)} />);
  });
