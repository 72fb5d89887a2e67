import { ownedMemberTier, ownedTierTable, ownedTierTables } from "../../gateway/src/domain/tiers/owned";
import { ApiError } from "../../gateway/src/errors";
import { createPortalRouter, partnerOf, requireRole } from "../context";
import { MemberTierPage, TiersPage } from "../pages/tiers";
import { renderPage } from "../render";

/**
 * The Tiers pages, which every role of a partner reads: the tier tables of the programs the partner owns, and a
 * member's tier in one of them (`?external_id=`, from the lookup's GET form). A program the partner does not own
 * answers 404, even with an agreement in it.
 */
export const tierRoutes = createPortalRouter()
  .get("/tiers", requireRole("admin", "finance", "viewer"), async (c) =>
    renderPage(c, <TiersPage tables={await ownedTierTables(c.var.deps, partnerOf(c))} />),
  )
  .get("/tiers/:program/member", requireRole("admin", "finance", "viewer"), async (c) => {
    const { deps, i18n } = c.var;
    const table = await ownedTierTable(deps, partnerOf(c), c.req.param("program"));
    const externalId = (c.req.query("external_id") ?? "").trim();
    const refused = (message: string, status: 400 | 404) =>
      renderPage(
        c,
        <MemberTierPage
          table={table}
          externalId={externalId}
          tier={null}
          problems={[{ field: "external_id", message }]}
        />,
        status,
      );
    if (!externalId) return refused(i18n.t("tiers.required"), 400);
    try {
      const tier = await ownedMemberTier(deps, table, externalId);
      return renderPage(c, <MemberTierPage table={table} externalId={externalId} tier={tier} />);
    } catch (error) {
      // The program is the partner's own (just read), so a 404 here is the number typed.
      if (!(error instanceof ApiError) || error.code !== "not_found") throw error;
      return refused(i18n.t("tiers.unknownMember", { program: table.program.name, id: externalId }), 404);
    }
  });
