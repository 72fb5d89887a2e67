import { ownedCampaigns, ownedPromotion, ownedPromotions } from "../../gateway/src/domain/promotions/owned-performance";
import { createPortalRouter, partnerOf, requireRole } from "../context";
import { CampaignsPage } from "../pages/campaigns";
import { PromotionPage, PromotionsPage } from "../pages/promotions";
import { renderPage } from "../render";

/**
 * The Promotions pages, which every role of a partner reads: the promotions and (under them, one menu entry, so the
 * header keeps to one row on a desktop) the campaigns of the programs the partner owns, and a promotion's
 * performance. A promotion of a program the partner does not own
 * answers 404, even with an agreement in it.
 */
export const promotionRoutes = createPortalRouter()
  .get("/promotions", requireRole("admin", "finance", "viewer"), async (c) =>
    renderPage(c, <PromotionsPage programs={await ownedPromotions(c.var.deps, partnerOf(c))} />),
  )
  .get("/promotions/:id{pro_[0-9a-z]+}", requireRole("admin", "finance", "viewer"), async (c) =>
    renderPage(c, <PromotionPage owned={await ownedPromotion(c.var.deps, partnerOf(c), c.req.param("id"))} />),
  )
  .get("/promotions/campaigns", requireRole("admin", "finance", "viewer"), async (c) =>
    renderPage(c, <CampaignsPage programs={await ownedCampaigns(c.var.deps, partnerOf(c))} />),
  );
