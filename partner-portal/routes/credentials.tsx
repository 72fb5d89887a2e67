import { partnerScopes } from "../../gateway/src/auth/scopes";
import { rotateCredential } from "../../gateway/src/domain/credential-rotation";
import { addCredential, partnerCredentials } from "../../gateway/src/domain/partners";
import { createPortalRouter, partnerOf, requireRole } from "../context";
import { verifiedForm } from "../form";
import { CredentialsPage } from "../pages/credentials";
import { renderPage } from "../render";

/** The partner's API credentials: admins only. */
export const credentialRoutes = createPortalRouter()
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
